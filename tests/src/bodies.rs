//! Request bodies with sensible defaults, and times relative to now.

use serde_json::Value;

/// A real-name registration body for an adult in 东胜区.
pub fn volunteer_body(id_number: &str) -> Value {
    serde_json::json!({
        "real_name": "王小明",
        "id_number": id_number,
        "region_code": "150602",
        "service_fields": ["elderly_care"],
        "groups": ["youth"],
        "skills": ["急救"],
        "consent": true
    })
}

pub fn org_body(name: &str, region: &str) -> Value {
    serde_json::json!({
        "name": name,
        "org_type": "community",
        "region_code": region,
        "service_fields": ["elderly_care", "education"],
        "description": "社区志愿服务"
    })
}

/// A station body with sensible defaults, for tests to adjust.
pub fn station_body(name: &str, region: &str, lat: f64, lng: f64, station_type: &str) -> Value {
    serde_json::json!({
        "name": name,
        "station_type": station_type,
        "region_code": region,
        "address": format!("{name} 地址"),
        "lat": lat,
        "lng": lng,
        "opening_hours": "09:00-17:00",
        "contact": "13812345678",
        "five_have": {
            "venue_and_equipment": true, "manager_and_team": true, "rules_and_procedures": true,
            "projects_and_activities": true, "operating_funds": true
        },
        "demonstration": false
    })
}

pub const DAY: i64 = 24 * 3600;

/// RFC 3339 (CST) of now + `offset` seconds.
pub fn in_seconds(offset: i64) -> String {
    zhiyuan_shared::time::Timestamp::from_unix(zhiyuan_functions::clock::now_unix() + offset)
        .rfc3339_cst()
}

/// An activity of `org` at an address in 东胜区 with shifts (start offset from now,
/// duration, places), all in seconds.
pub fn activity_body(org: &str, shifts: &[(i64, i64, u32)]) -> Value {
    let shifts: Vec<Value> = shifts
        .iter()
        .map(|(start, dur, cap)| {
            serde_json::json!({
                "starts_at": in_seconds(*start),
                "ends_at": in_seconds(start + dur),
                "capacity": cap,
            })
        })
        .collect();
    serde_json::json!({
        "org_id": org,
        "title": "社区敬老助餐",
        "description": "为空巢老人送餐",
        "service_field": "elderly_care",
        "service_targets": ["empty_nest_elderly"],
        "address": "东胜区铁西街道",
        "lat": 39.817,
        "lng": 109.977,
        "region_code": "150602",
        "shifts": shifts,
    })
}
