//! Certificates (志愿服务记录证明) and their public verification, and the perks catalogue.
//!
//! "谁组织谁记录，谁记录谁证明": with `org` the certificate covers that organisation's
//! records and the organisation is its issuer; without, it covers every counted record and
//! the platform issues it (the issuer's organisation is then empty, which the client shows
//! as the platform). The verification code is a keyed hash of what the certificate says,
//! so asking again the same day for the same records gives the same certificate.

use super::records::all_of_user;
use crate::auth::Caller;
use crate::config::Config;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::records::{CertificateItem, RecordItem};
use zhiyuan_shared::record::{
    Certificate, CertificateCheck, CertificateHolder, CertificateIssuer, CertificateLine,
    RecordSource, hours, mask_name,
};
use zhiyuan_shared::time::Timestamp;

/// What a certificate's code is computed over: who, issuer, the day, and each record with
/// its version (a corrected record makes a new certificate).
fn fingerprint(user_id: &str, org: &str, day: &str, records: &[&RecordItem]) -> Vec<u8> {
    let mut out = format!("{user_id}\n{org}\n{day}\n");
    for r in records {
        out.push_str(&format!("{}:{}:{}\n", r.id, r.version, r.minutes));
    }
    out.into_bytes()
}

pub async fn issue(
    store: &Store,
    config: &Config,
    caller: &Caller,
    org: Option<&str>,
    now: Timestamp,
) -> Result<Certificate, ApiError> {
    let v = caller.volunteer()?;
    let org = org.map(str::trim).filter(|o| !o.is_empty());
    let all = all_of_user(store, caller.id()).await?;
    let records: Vec<&RecordItem> = all
        .iter()
        .filter(|r| r.counts())
        .filter(|r| org.is_none_or(|o| r.org_id == o))
        .collect();
    if records.is_empty() {
        return Err(ApiError::Unprocessable {
            code: "no_confirmed_records",
            message: "there are no confirmed service records to certify yet".into(),
        });
    }
    let issuer = match org {
        None => CertificateIssuer {
            organisation: String::new(),
            person_in_charge: String::new(),
            handling_officer: String::new(),
            contact: String::new(),
        },
        Some(id) => {
            let o = store
                .get_org(id)
                .await?
                .ok_or_else(|| ApiError::invalid("org", "is not an organisation"))?;
            let founder = match &o.created_by {
                Some(founder) => store.get_user(founder).await?,
                None => None,
            };
            CertificateIssuer {
                organisation: o.name.clone(),
                person_in_charge: founder
                    .and_then(|u| u.volunteer.map(|v| v.real_name))
                    .unwrap_or_default(),
                handling_officer: records
                    .iter()
                    .filter_map(|r| r.confirmed_by_name.clone())
                    .next_back()
                    .unwrap_or_default(),
                contact: String::new(),
            }
        }
    };
    let day = now.cst_date().iso();
    let code =
        config
            .keys
            .certificate_code(&fingerprint(caller.id(), org.unwrap_or(""), &day, &records));
    let number = format!("ZY{}{}", day.replace('-', ""), &code[..6]);
    let total: u64 = records.iter().map(|r| u64::from(r.minutes)).sum();
    store
        .put_certificate(&CertificateItem {
            code: code.clone(),
            number: number.clone(),
            issued_on: day.clone(),
            user_id: caller.id().clone(),
            holder_name: mask_name(&v.real_name),
            volunteer_no: v.volunteer_no.clone(),
            record_count: records.len() as u32,
            total_minutes: total,
            issuer: issuer.organisation.clone(),
        })
        .await?;
    let lines = records
        .iter()
        .map(|r| {
            let rec = super::records::view(r);
            CertificateLine {
                date: rec.date,
                org_name: rec.org_name,
                activity_title: rec.activity_title,
                content: rec.content,
                hours: rec.hours,
                transferred: r.transferred_from.is_some(),
                backfill: rec.source == RecordSource::Backfill,
            }
        })
        .collect();
    Ok(Certificate {
        number,
        verification_code: code,
        issued_on: day,
        holder: CertificateHolder {
            real_name: v.real_name.clone(),
            id_type: "resident_id".into(),
            id_masked: v.id_masked.clone(),
            volunteer_no: v.volunteer_no.clone(),
        },
        records: lines,
        total_hours: hours(total),
        issuer,
    })
}

/// Normalises a typed code: case, spaces and dashes do not matter.
fn normalise(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == 12 && code.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(code)
}

pub async fn verify(store: &Store, raw: &str) -> Result<CertificateCheck, ApiError> {
    let missing = || ApiError::NotFound("no certificate has this verification code".into());
    let code = normalise(raw).ok_or_else(missing)?;
    let c = store.get_certificate(&code).await?.ok_or_else(missing)?;
    Ok(CertificateCheck {
        number: c.number,
        verification_code: c.code,
        issued_on: c.issued_on,
        holder_name: c.holder_name,
        volunteer_no: c.volunteer_no,
        record_count: c.record_count,
        total_hours: hours(c.total_minutes),
        issuer: c.issuer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalise("abcd-efgh-1234").as_deref(), Some("ABCDEFGH1234"));
        assert_eq!(normalise("ABCD EFGH 1234").as_deref(), Some("ABCDEFGH1234"));
        assert_eq!(normalise("short"), None);
        assert_eq!(normalise("ABCDEFGH123!"), None);
    }
}
