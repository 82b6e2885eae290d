//! The activity archive (活动档案) on an activity's page: its organizers upload the plan,
//! briefing, photos and record list; they and the region's admins see and download them.

use crate::api::{self, ApiError, Authorized};
use crate::i18n::{Lang, t, tr, use_lang};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use zhiyuan_shared::archive::{
    Attachment, AttachmentKind, FileType, UploadRequest, accept_attribute,
};

pub fn kind_label(lang: Lang, k: AttachmentKind) -> &'static str {
    t(
        lang,
        match k {
            AttachmentKind::Plan => "archive_kind_plan",
            AttachmentKind::Briefing => "archive_kind_briefing",
            AttachmentKind::Photo => "archive_kind_photo",
            AttachmentKind::Records => "archive_kind_records",
            AttachmentKind::Other => "archive_kind_other",
            AttachmentKind::Evidence => "archive_kind_evidence",
        },
    )
}

/// `830 KB`, `2.4 MB`.
pub fn size_label(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// The upload rule a refused field broke, in the reader's words.
pub(crate) fn rule_of(lang: Lang, field: &str) -> Option<String> {
    matches!(field, "name" | "content_type" | "size" | "file" | "kind")
        .then(|| t(lang, &format!("err_upload_{field}")).to_string())
}

/// What went wrong with an upload: the rule for a refused field, else the API's message.
pub(crate) fn upload_error(lang: Lang, e: &ApiError) -> String {
    e.field()
        .and_then(|f| rule_of(lang, f))
        .unwrap_or_else(|| e.message(lang))
}

/// The three steps of an upload: ask for a link, send the bytes, report it done.
pub(crate) async fn upload(
    token: &str,
    activity: &str,
    req: UploadRequest,
    file: web_sys::File,
) -> Result<Attachment, ApiError> {
    let api = Authorized(token);
    let ticket = api.request_upload(activity, &req).await?;
    api::put_file(&ticket.upload, &file).await?;
    api.complete_upload(activity, &ticket.attachment.id).await
}

#[component]
pub fn ActivityArchive(activity_id: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let status = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let kind = RwSignal::new(AttachmentKind::Photo.slug().to_string());
    let id = StoredValue::new(activity_id);
    let list = LocalResource::new(move || {
        version.track();
        let token = session.token.get().unwrap_or_default();
        let activity = id.get_value();
        async move { Authorized(&token).attachments(&activity).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let input = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("f-archive-file"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok());
        let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            status.set(Some(t(l, "archive_choose_file").to_string()));
            return;
        };
        let browser_type = file.type_();
        let req = UploadRequest {
            kind: kind.get_untracked(),
            name: file.name(),
            // A type the browser guessed that is not on the list is left to the name.
            content_type: if FileType::by_mime(&browser_type).is_some() {
                browser_type
            } else {
                String::new()
            },
            size: file.size() as u64,
        };
        // The same rules as the server's, before anything is sent.
        if let Err(e) = req.validate() {
            status.set(rule_of(l, e.field));
            return;
        }
        let token = session.token.get_untracked().unwrap_or_default();
        busy.set(true);
        status.set(Some(t(l, "archive_uploading").to_string()));
        spawn_local(async move {
            match upload(&token, &id.get_value(), req, file).await {
                Ok(a) => {
                    status.set(Some(t(l, "archive_uploaded").replace("{name}", &a.name)));
                    if let Some(i) = input {
                        i.set_value("");
                    }
                    version.update(|v| *v += 1);
                }
                Err(e) => status.set(Some(upload_error(l, &e))),
            }
            busy.set(false);
        });
    };
    let remove = move |file: String, name: String| {
        let l = lang.get_untracked();
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&t(l, "archive_remove_confirm").replace("{name}", &name))
                    .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let token = session.token.get_untracked().unwrap_or_default();
        spawn_local(async move {
            match Authorized(&token)
                .remove_attachment(&id.get_value(), &file)
                .await
            {
                Ok(()) => {
                    status.set(Some(t(l, "archive_removed").replace("{name}", &name)));
                    version.update(|v| *v += 1);
                }
                Err(e) => status.set(Some(e.message(l))),
            }
        });
    };
    view! {
        {move || match list.get() {
            // Not theirs to see (another region's admin): no section at all.
            None | Some(Err(_)) => ().into_any(),
            Some(Ok(archive)) => {
                let can_upload = archive.can_upload;
                let count = archive.items.len();
                let full = count >= archive.max_files;
                let groups: Vec<(AttachmentKind, Vec<Attachment>)> = AttachmentKind::ALL
                    .iter()
                    .map(|k| (*k, archive.items.iter().filter(|a| a.kind == *k).cloned().collect::<Vec<_>>()))
                    .filter(|(_, v)| !v.is_empty())
                    .collect();
                view! {
                    <section class="archive" aria-labelledby="archive-title">
                        <h2 id="archive-title">{tr("archive")}</h2>
                        <p class="muted">{tr("archive_explained")}</p>
                        {(count == 0).then(|| view! { <p class="muted">{tr("archive_empty")}</p> })}
                        {groups.into_iter().map(|(k, files)| view! {
                            <h3>{move || kind_label(lang.get(), k)}</h3>
                            <ul class="card-list archive-files">
                                {files.into_iter().map(|f| {
                                    let url = f.download_url.clone().unwrap_or_default();
                                    let image = FileType::by_mime(&f.content_type).is_some_and(FileType::is_image);
                                    let (fid, fname) = (f.id.clone(), f.name.clone());
                                    view! {
                                        <li>
                                            {image.then(|| view! {
                                                <img class="archive-thumb" src=url.clone() alt=f.name.clone() loading="lazy" />
                                            })}
                                            <a href=url.clone() download=f.name.clone()>{f.name.clone()}</a>
                                            <span class="muted">{size_label(f.size)} " · " {f.uploaded_by.clone()} " · " {crate::components::time::when(&f.uploaded_at)}</span>
                                            {can_upload.then(|| {
                                                let label = format!("{} {}", t(lang.get_untracked(), "archive_remove"), fname.clone());
                                                view! {
                                                    <button type="button" class="link" aria-label=label
                                                        on:click=move |_| remove(fid.clone(), fname.clone())>{tr("archive_remove")}</button>
                                                }
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }).collect_view()}
                        {can_upload.then(|| view! {
                            <form class="archive-upload form-stack" on:submit=submit>
                                <h3>{tr("archive_add")}</h3>
                                <div class="form-field">
                                    <label for="f-archive-kind">{tr("archive_kind")}</label>
                                    <select id="f-archive-kind" prop:value=move || kind.get()
                                        on:change=move |ev| kind.set(event_target_value(&ev))>
                                        {AttachmentKind::ALL.iter().filter(|k| **k != AttachmentKind::Evidence).map(|k| { let k = *k; view! {
                                            <option value=k.slug()>{move || kind_label(lang.get(), k)}</option>
                                        } }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-field">
                                    <label for="f-archive-file">{tr("archive_file")}</label>
                                    <input id="f-archive-file" type="file" accept=accept_attribute() aria-describedby="archive-rules" />
                                    <p id="archive-rules" class="hint">{tr("archive_rules")}</p>
                                </div>
                                <button type="submit" class="primary" disabled=move || busy.get() || full>{tr("archive_upload")}</button>
                            </form>
                        })}
                        <p role="status" aria-live="polite">{move || status.get()}</p>
                    </section>
                }.into_any()
            }
        }}
    }
}
