//! The demo accounts of API.md and what they have done: an organisation, activities,
//! needs, service history, and registered volunteers in every banner for the statistics.
//! All written through the same services and store transactions as the API's.

use super::children;
use crate::auth::Caller;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::service::{accounts, orgs};
use crate::store::Store;
use zhiyuan_shared::region::Region;
use zhiyuan_shared::station::StationDraft;

/// The password of every demo account (API.md).
pub const DEMO_PASSWORD: &str = "demo-pass-2026";

/// The demo accounts of API.md: (phone, display name).
pub const DEMO_ACCOUNTS: [(&str, &str); 4] = [
    ("13800000001", "鄂尔多斯市文明办"),
    ("13800000002", "东胜区文明办"),
    ("13800000003", "张组织"),
    ("13800000004", "李志愿"),
];

pub const DEMO_ORG_NAME: &str = "东胜区青年志愿者协会";

/// Creates the demo accounts through the same services the API uses: a city admin of
/// Ordos, a region admin of 东胜区, an organizer of an approved organisation there, and
/// a real-name volunteer who is its member. Returns how many accounts it made.
/// The demo accounts, their organisation and, at the first `stations` (of 东胜区), a few
/// upcoming activities of it.
pub(super) async fn demo_accounts(
    store: &Store,
    keys: &Keys,
    stations: &[(String, StationDraft)],
) -> Result<usize, ApiError> {
    use zhiyuan_shared::account::{Password, Role, RoleGrant, VolunteerRequest};
    use zhiyuan_shared::identity::Phone;
    use zhiyuan_shared::org::{OrgInput, OrgStatus};
    let mut ids = Vec::new();
    for (phone, name) in DEMO_ACCOUNTS {
        // The demo owns its numbers: no code to prove them.
        let phone = Phone::parse(phone).map_err(|e| ApiError::invalid("phone", e))?;
        let password = Password::parse(DEMO_PASSWORD)?;
        let r = accounts::create_account(store, keys, &phone, &password, name.into()).await?;
        ids.push(r.user_id);
    }
    for (i, scope) in [(0, "150600"), (1, "150602")] {
        let grant = RoleGrant {
            role: Role::RegionAdmin,
            scope: scope.into(),
        };
        store.grant_role(&ids[i], &grant).await?;
    }
    let caller = |id: &str| {
        let id = id.to_string();
        async move {
            let user = store
                .get_user(&id)
                .await?
                .ok_or_else(|| ApiError::Internal("demo user vanished".into()))?;
            Ok::<_, ApiError>(Caller::new(user))
        }
    };
    let volunteer = |name: &str, born: &str, serial: &str| {
        let first17 = format!("150602{born}{serial}");
        let check = zhiyuan_shared::identity::check_digit(&first17).unwrap_or('0');
        VolunteerRequest {
            real_name: name.into(),
            id_number: format!("{first17}{check}"),
            region_code: "150602".into(),
            service_fields: vec!["elderly_care".into(), "community_service".into()],
            groups: vec!["youth".into()],
            skills: vec![],
            consent: true,
            guardian: None,
        }
    };
    accounts::become_volunteer(
        store,
        keys,
        &caller(&ids[2]).await?,
        volunteer("张组织", "19880312", "001"),
    )
    .await?;
    accounts::become_volunteer(
        store,
        keys,
        &caller(&ids[3]).await?,
        volunteer("李志愿", "19990521", "002"),
    )
    .await?;
    let org = orgs::create(
        store,
        &caller(&ids[2]).await?,
        OrgInput {
            name: DEMO_ORG_NAME.into(),
            org_type: "youth".into(),
            region_code: "150602".into(),
            service_fields: vec!["elderly_care".into(), "community_service".into()],
            description: "服务东胜区空巢老人与社区居民的青年志愿服务队伍。".into(),
        }
        .validate()?,
    )
    .await?;
    orgs::decide(
        store,
        crate::notify::NoticeSender::Log,
        &caller(&ids[1]).await?,
        &org.id,
        OrgStatus::Approved,
        None,
    )
    .await?;
    orgs::join(store, &caller(&ids[3]).await?, &org.id).await?;
    orgs::approve_member(
        store,
        crate::notify::NoticeSender::Log,
        &caller(&ids[2]).await?,
        &org.id,
        &ids[3],
    )
    .await?;
    demo_activities(store, &caller(&ids[2]).await?, &org.id, stations).await?;
    demo_records(
        store,
        &caller(&ids[2]).await?,
        &caller(&ids[3]).await?,
        &org.id,
    )
    .await?;
    demo_needs(store, &caller(&ids[3]).await?).await?;
    let now = zhiyuan_shared::time::Timestamp::from_unix(crate::clock::now_unix());
    crate::service::nominations::nominate(
        store,
        &caller(&ids[0]).await?,
        &zhiyuan_shared::exemplary::NominationInput {
            kind: "organisation".into(),
            name: DEMO_ORG_NAME.into(),
            honour: "优秀志愿服务组织".into(),
            region_code: "150602".into(),
            year: i64::from(now.cst_date().year),
            story: "协会常年为东胜区空巢老人送餐、陪伴和清洁家居，组织青年志愿者开展社区环境清洁日等活动。"
                .into(),
        },
        now,
    )
    .await?;
    Ok(ids.len())
}

/// Three open needs in 东胜区, posted by the demo volunteer as a resident, so the map's
/// "show needs" and the needs page have something to show.
async fn demo_needs(store: &Store, resident: &Caller) -> Result<(), ApiError> {
    let now = zhiyuan_shared::time::Timestamp::from_unix(crate::clock::now_unix());
    for (title, target, what, (lat, lng), when) in [
        (
            "独居老人每周助餐",
            "empty_nest_elderly",
            "建设社区的王奶奶腿脚不便，需要每周送两次午餐。",
            (39.8172, 109.9773),
            "每周二、周五中午",
        ),
        (
            "留守儿童课后作业辅导",
            "left_behind_children",
            "三名小学生放学后无人辅导，希望有志愿者陪伴写作业。",
            (39.8291, 109.9508),
            "工作日 16:30–18:00",
        ),
        (
            "残疾人家庭清扫",
            "disabled",
            "一户残疾人家庭需要每月一次大扫除。",
            (39.7985, 110.0012),
            "每月第一个周六上午",
        ),
    ] {
        let input = zhiyuan_shared::need::NeedInput {
            title: title.into(),
            description: what.into(),
            service_target: target.into(),
            address: "东胜区".into(),
            lat: Some(lat),
            lng: Some(lng),
            region_code: "150602".into(),
            when: when.into(),
        };
        crate::service::needs::post(store, resident, &input, now).await?;
    }
    Ok(())
}

/// Volunteers registered in every banner (a dozen each, in the groups with yearly
/// minimums among others), so the statistics dashboard and compliance lists have people
/// to count. Written through the same store transaction as a real registration, with its
/// counters; they have no password and cannot sign in.
pub(super) async fn demo_residents(
    store: &Store,
    keys: &Keys,
    regions: &[Region],
    city: &str,
) -> Result<(), ApiError> {
    use crate::store::accounts::{NewAccount, UserItem, VolunteerItem};
    use zhiyuan_shared::account::VolunteerGroup as G;
    let groups = [
        (G::PartyMember, 1975),
        (G::Cadre, 1982),
        (G::CollegeStudent, 2005),
        (G::SchoolStudent, 2010),
        (G::Worker, 1990),
        (G::WomensTeam, 1986),
    ];
    let now = crate::clock::now_rfc3339();
    for (b, banner) in children(regions, city).into_iter().enumerate() {
        for k in 0..12 {
            let (group, born) = groups[k % groups.len()];
            let serial = b * 100 + k;
            let phone = format!("139000{serial:05}");
            let first17 = format!("{}{born}0101{:03}", banner.code, 300 + k);
            let check = zhiyuan_shared::identity::check_digit(&first17).unwrap_or('0');
            let id_number = format!("{first17}{check}");
            let id = crate::ids::UserId::generate();
            let name = format!("{}志愿者{}", banner.name, k + 1);
            let account = NewAccount {
                display_name: name.clone(),
                phone_sealed: keys.seal(&phone)?,
                phone_index: keys.blind_index(accounts::PHONE, &phone),
                password_hash: "demo-resident-no-login".into(),
            };
            let user = UserItem::new(&id, account, now.clone());
            let serial_no = store.next_volunteer_serial(banner.code.as_str()).await?;
            let volunteer = VolunteerItem {
                volunteer_no: format!("{}{serial_no:08}", banner.code),
                real_name: name,
                id_sealed: keys.seal(&id_number)?,
                id_index: keys.blind_index(accounts::ID_NUMBER, &id_number),
                id_masked: format!("{}**********{}", &id_number[..4], &id_number[14..]),
                gender: zhiyuan_shared::identity::Gender::Female,
                birth_date: zhiyuan_shared::identity::Date {
                    year: born,
                    month: 1,
                    day: 1,
                },
                region_code: banner.code.clone(),
                service_fields: vec![zhiyuan_shared::account::ServiceField::CommunityService],
                groups: vec![group],
                skills: vec![],
                registered_at: now.clone(),
                consent_at: now.clone(),
                guardian: None,
            };
            store.create_user(&user).await?;
            let (counters, members) = crate::service::stats::registration_effect(
                &id,
                volunteer.region_code.as_str(),
                &volunteer.groups,
                crate::clock::now_unix(),
            );
            store
                .make_volunteer(&id, &volunteer, &counters, &members)
                .await?;
        }
    }
    Ok(())
}

/// Three upcoming activities of the demo organisation at stations of 东胜区, starting
/// from tomorrow, so a fresh `make dev` has something to sign up for.
async fn demo_activities(
    store: &Store,
    organizer: &Caller,
    org_id: &str,
    stations: &[(String, StationDraft)],
) -> Result<(), ApiError> {
    use zhiyuan_shared::activity::{ActivityInput, ShiftInput};
    use zhiyuan_shared::time::Timestamp;
    let now = Timestamp::from_unix(crate::clock::now_unix());
    let local_midnight = {
        let d = now.cst_date().iso();
        Timestamp::parse(&format!("{d}T00:00:00+08:00"))
            .map_err(|e| ApiError::Internal(e.to_string()))?
    };
    let at = |day: i64, hour: i64| {
        local_midnight
            .plus(day * 86_400 + hour * 3600)
            .rfc3339_cst()
    };
    let here: Vec<&(String, StationDraft)> = stations
        .iter()
        .filter(|(_, d)| d.region_code.as_str() == "150602")
        .take(3)
        .collect();
    let plans = [
        (
            "社区敬老助餐",
            "为独居和空巢老人送餐、陪伴聊天。",
            "elderly_care",
            "empty_nest_elderly",
            1,
            9,
            3,
            8,
        ),
        (
            "周末图书角整理",
            "整理社区图书角，为孩子们读绘本。",
            "education",
            "left_behind_children",
            2,
            14,
            2,
            5,
        ),
        (
            "文明交通劝导",
            "在路口协助交警开展文明交通劝导。",
            "traffic",
            "residents",
            3,
            7,
            2,
            12,
        ),
    ];
    for (i, (title, desc, field, target, day, hour, hours, places)) in plans.into_iter().enumerate()
    {
        let Some((station_id, _)) = here.get(i) else {
            break;
        };
        let input = ActivityInput {
            org_id: org_id.into(),
            title: title.into(),
            description: desc.into(),
            service_field: field.into(),
            service_targets: vec![target.into()],
            station_id: Some(station_id.clone()),
            shifts: vec![
                ShiftInput {
                    starts_at: at(day, hour),
                    ends_at: at(day, hour + hours),
                    capacity: places,
                },
                ShiftInput {
                    starts_at: at(day + 7, hour),
                    ends_at: at(day + 7, hour + hours),
                    capacity: places,
                },
            ],
            ..Default::default()
        };
        crate::service::activities::create(store, organizer, input.validate(now)?).await?;
    }
    Ok(())
}

/// Service history for the demo volunteer: a shift ten days ago, confirmed (3.5 h), and
/// one three days ago, checked out but not yet confirmed, for the organizer to review.
/// Published and signed up "as of" before they happened, through the real services.
async fn demo_records(
    store: &Store,
    organizer: &Caller,
    volunteer: &Caller,
    org_id: &str,
) -> Result<(), ApiError> {
    use crate::service::{activities, records};
    use zhiyuan_shared::activity::{ActivityInput, ShiftInput};
    use zhiyuan_shared::record::AttendanceRequest;
    use zhiyuan_shared::time::Timestamp;
    let now = Timestamp::from_unix(crate::clock::now_unix());
    let day = |n: i64, hour: i64| {
        let d = now.plus(-n * 86_400).cst_date().iso();
        Timestamp::parse(&format!("{d}T{hour:02}:00:00+08:00"))
            .map_err(|e| ApiError::Internal(e.to_string()))
    };
    let before = now.plus(-14 * 86_400);
    let input = ActivityInput {
        org_id: org_id.into(),
        title: "社区环境清洁日".into(),
        description: "清理楼道小广告、整理绿化带垃圾。".into(),
        service_field: "environment".into(),
        service_targets: vec!["residents".into()],
        address: "东胜区铁西街道办事处".into(),
        lat: Some(39.8168),
        lng: Some(109.9776),
        region_code: "150602".into(),
        shifts: [10, 3]
            .iter()
            .map(|n| {
                Ok(ShiftInput {
                    starts_at: day(*n, 9)?.rfc3339_cst(),
                    ends_at: day(*n, 13)?.rfc3339_cst(),
                    capacity: 10,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        ..Default::default()
    };
    let a = activities::create(store, organizer, input.validate(before)?).await?;
    for (shift, (n, confirm)) in a.shifts.iter().zip([(10, true), (3, false)]) {
        crate::service::signups::sign_up(store, volunteer, &shift.id, &format!("demo{n}"), before)
            .await?;
        let req = AttendanceRequest {
            user_id: volunteer.id().to_string(),
            check_in: Some(day(n, 9)?.rfc3339_cst()),
            check_out: Some(day(n, 12)?.plus(1800).rfc3339_cst()),
        };
        let r = records::attendance(store, 30, organizer, &shift.id, &req, now).await?;
        if confirm {
            records::confirm(store, organizer, &r.id, now).await?;
        }
    }
    Ok(())
}
