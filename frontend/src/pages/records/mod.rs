//! Service records: the organizer's check-in screen (rotating code and QR code, hand
//! entry, review and confirmation), the volunteer's check-in page, "my hours" with stars
//! and perks, one record with its audit trail and dispute, the printable certificate, the
//! public verification page and the perks catalogue.

mod certificate;
mod checkin;
mod checkin_screen;
mod my_hours;
mod perks;
mod record;
mod transfer;

pub use certificate::CertificatePage;
pub use certificate::VerifyPage;
pub use checkin::CheckinPage;
pub use checkin_screen::CheckinScreenPage;
pub use my_hours::MyRecordsPage;
pub use perks::PerksPage;
pub use record::RecordPage;
pub use transfer::ImportTransfer;

use crate::i18n::{Lang, field_label, t, use_lang};
use leptos::prelude::*;
use zhiyuan_shared::account::ServiceField;
use zhiyuan_shared::record::{AuditAction, PerkKind, RecordStatus};

pub fn record_status_key(s: RecordStatus) -> &'static str {
    match s {
        RecordStatus::Pending => "record_pending",
        RecordStatus::Confirmed => "record_confirmed",
        RecordStatus::Corrected => "record_corrected",
        RecordStatus::Void => "record_void",
    }
}

fn action_key(a: AuditAction) -> &'static str {
    match a {
        AuditAction::CheckIn => "audit_check_in",
        AuditAction::CheckOut => "audit_check_out",
        AuditAction::HandEntry => "audit_hand_entry",
        AuditAction::AutoClose => "audit_auto_close",
        AuditAction::Confirm => "audit_confirm",
        AuditAction::Correct => "audit_correct",
        AuditAction::Void => "audit_void",
        AuditAction::Dispute => "audit_dispute",
        AuditAction::Answer => "audit_answer",
        AuditAction::Import => "audit_import",
        AuditAction::IdentityMoved => "audit_identity_moved",
        AuditAction::Backfill => "audit_backfill",
    }
}

fn perk_label(lang: Lang, p: PerkKind) -> &'static str {
    let key = match p {
        PerkKind::Insurance => "perk_insurance",
        PerkKind::Bus => "perk_bus",
        PerkKind::ScenicSpots => "perk_scenic_spots",
        PerkKind::HealthCheck => "perk_health_check",
        PerkKind::Shows => "perk_shows",
        PerkKind::PriorityService => "perk_priority_service",
        PerkKind::Recognition => "perk_recognition",
    };
    t(lang, key)
}

/// A record's content: the service field's name, or the words another deployment sent.
fn content(lang: Lang, raw: &str) -> String {
    ServiceField::from_slug(raw).map_or_else(|| raw.to_string(), |f| field_label(lang, f).into())
}

pub fn hours_text(lang: Lang, h: f64) -> String {
    format!("{h} {}", t(lang, "hours_unit"))
}

/// ★★★☆☆, read out as "3 星".
#[component]
fn Stars(level: u8) -> impl IntoView {
    let lang = use_lang();
    let stars: String = (0..5).map(|i| if i < level { '★' } else { '☆' }).collect();
    view! {
        <span class="stars" role="img" aria-label=move || format!("{} {level}", t(lang.get(), "star_level"))>{stars}</span>
    }
}

/// A QR code of `text` as inline SVG.
fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}
