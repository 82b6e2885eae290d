//! Reference data (regions) and the local stack's demo data (stations and the demo
//! accounts of API.md). Demo data is
//! written once into an empty local table by `zhiyuan-admin init-local`, never in the cloud.

use crate::auth::Caller;
use crate::crypto::Keys;
use crate::error::ApiError;
use crate::service::stations::station_item;
use crate::service::{accounts, orgs};
use crate::store::stations::StationItem;
use crate::store::{Store, StoreError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zhiyuan_shared::geo::LatLng;
use zhiyuan_shared::region::{Region, RegionCode};
use zhiyuan_shared::station::{FiveHave, StationDraft, StationStatus, StationType};

const REGIONS_JSON: &str = include_str!("../data/regions.json");

/// The regions shipped with the product: Inner Mongolia, its twelve leagues and cities,
/// and Ordos's nine banners and districts (2020 census populations).
pub fn regions() -> Result<Vec<Region>, serde_json::Error> {
    serde_json::from_str(REGIONS_JSON)
}

/// Banners and districts of a city, from the region data.
fn children<'a>(regions: &'a [Region], parent: &str) -> Vec<&'a Region> {
    regions
        .iter()
        .filter(|r| r.parent_code.as_ref().is_some_and(|p| p.as_str() == parent))
        .collect()
}

const COMMUNITY_NAMES: &[&str] = &[
    "林荫",
    "天骄",
    "富兴",
    "建设",
    "交通",
    "幸福",
    "民族",
    "宏源",
    "铜川",
    "巴音",
    "诃额伦",
    "哈巴格希",
    "青春山",
    "北辰",
    "安康",
    "和谐",
    "兴泰",
    "阳光",
    "滨河",
    "文明",
    "团结",
    "振兴",
    "锦绣",
    "康和",
    "祥和",
    "博源",
    "万家惠",
    "鸿波",
];
const VILLAGE_NAMES: &[&str] = &[
    "新民",
    "乌兰",
    "巴音敖包",
    "哈达图",
    "布日都",
    "白泥井",
    "王爱召",
    "沙圪堵",
    "树林召",
    "吉格斯太",
    "展旦召",
    "昭君",
    "恩格贝",
    "独贵塔拉",
    "图克",
    "嘎鲁图",
    "乌兰陶勒盖",
    "纳林陶亥",
    "札萨克",
    "红庆河",
    "苏布尔嘎",
    "伊和乌素",
];
const STREETS: &[&str] = &[
    "天骄路",
    "鄂尔多斯大街",
    "伊金霍洛街",
    "准格尔路",
    "达拉特路",
    "乌审路",
    "团结路",
    "文化路",
    "罕台路",
    "康和路",
];
const SCENIC: &[&str] = &[
    "成吉思汗陵",
    "响沙湾",
    "恩格贝",
    "七星湖",
    "鄂尔多斯草原",
    "九城宫",
    "萨拉乌苏",
    "察罕苏力德",
];
const HOURS: &[&str] = &[
    "09:00-17:00",
    "08:30-18:00",
    "周一至周五 09:00-17:00",
    "全天开放",
    "周二至周日 09:00-17:00",
    "08:00-20:00",
];

fn pick<'a>(rng: &mut StdRng, pool: &[&'a str]) -> &'a str {
    pool[rng.gen_range(0..pool.len())]
}

/// A station name and type for a banner, shaped like real station names.
fn name_for(rng: &mut StdRng, t: StationType, banner: &str) -> String {
    let community = pick(rng, COMMUNITY_NAMES);
    let village = pick(rng, VILLAGE_NAMES);
    match t {
        StationType::PracticeCentre => format!("{banner}新时代文明实践中心"),
        StationType::PracticeInstitute => format!("{village}镇新时代文明实践所"),
        StationType::PracticeStation => format!("{community}新时代文明实践站"),
        StationType::Community => format!("{community}社区志愿服务站"),
        StationType::Village => format!("{village}嘎查志愿服务站"),
        StationType::Street => format!("{community}街道志愿服务站"),
        StationType::TransportHub => format!("{banner}汽车站学雷锋志愿服务站"),
        StationType::Park => format!("{community}公园志愿服务站"),
        StationType::Square => format!("{community}广场志愿服务站"),
        StationType::ScenicSpot => format!("{}景区志愿服务站", pick(rng, SCENIC)),
        StationType::Museum => format!("{banner}博物馆志愿服务站"),
        StationType::Library => format!("{banner}图书馆志愿服务站"),
        StationType::ScienceMuseum => format!("{banner}科技馆志愿服务站"),
        StationType::MemorialHall => format!("{village}革命纪念馆志愿服务站"),
        StationType::CivilisedUnit => format!(
            "{banner}{}文明单位志愿服务站",
            pick(
                rng,
                &["税务局", "供电公司", "人民医院", "第一中学", "邮政分公司"]
            )
        ),
    }
}

/// Demo stations for one city's banners: a practice centre in each banner's seat
/// (demonstration, 五有达标), the rest spread around it in proportion to population,
/// every station type present, about 40 % 五有达标.
pub fn demo_stations(
    regions: &[Region],
    city: &str,
    count: usize,
    seed: u64,
) -> Vec<(String, StationDraft)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let banners = children(regions, city);
    let total_pop: u64 = banners.iter().map(|b| b.population).sum::<u64>().max(1);
    let mut out = Vec::with_capacity(count);
    let mut type_cycle = StationType::ALL
        .iter()
        .copied()
        .filter(|t| *t != StationType::PracticeCentre)
        .cycle();
    for banner in &banners {
        // Every banner gets its centre and at least eight more, however few its residents.
        let share = (count.saturating_sub(banners.len() * 9) as u64 * banner.population / total_pop)
            as usize
            + 8;
        let urban = banner.population > 300_000 || banner.code.as_str().ends_with("03");
        let spread_km = if urban { 6.0 } else { 25.0 };
        for i in 0..=share {
            let t = if i == 0 {
                StationType::PracticeCentre
            } else {
                type_cycle.next().unwrap_or(StationType::Community)
            };
            let (dlat_km, dlng_km) = if i == 0 {
                (0.0, 0.0)
            } else {
                // Sum of uniforms: roughly normal, bounded, and cheap.
                let g =
                    |rng: &mut StdRng| (0..3).map(|_| rng.gen_range(-1.0..1.0)).sum::<f64>() / 1.5;
                (g(&mut rng) * spread_km, g(&mut rng) * spread_km)
            };
            let lat = banner.lat + dlat_km / 111.2;
            let lng = banner.lng + dlng_km / (111.2 * banner.lat.to_radians().cos());
            let Ok(location) = LatLng::new(lat, lng) else {
                continue;
            };
            let five_have = if i == 0 || rng.gen_bool(0.4) {
                FiveHave::ALL
            } else {
                FiveHave {
                    venue_and_equipment: rng.gen_bool(0.9),
                    manager_and_team: rng.gen_bool(0.8),
                    rules_and_procedures: rng.gen_bool(0.6),
                    projects_and_activities: rng.gen_bool(0.7),
                    operating_funds: rng.gen_bool(0.3),
                }
            };
            let contact = if rng.gen_bool(0.6) {
                format!("0477-{}", rng.gen_range(8_100_000..8_999_999))
            } else {
                format!(
                    "1{}{:09}",
                    pick(&mut rng, &["38", "39", "50", "58", "86"]),
                    rng.gen_range(0..1_000_000_000u64)
                )
            };
            let draft = StationDraft {
                name: name_for(&mut rng, t, &banner.name),
                station_type: t,
                region_code: banner.code.clone(),
                address: format!(
                    "{}{}{}号",
                    banner.name,
                    pick(&mut rng, STREETS),
                    rng.gen_range(1..300)
                ),
                location,
                opening_hours: pick(&mut rng, HOURS).to_string(),
                contact,
                description: format!(
                    "{}的志愿服务站点，提供政策宣讲、邻里互助、文明劝导等志愿服务。",
                    banner.name
                ),
                five_have,
                demonstration: i == 0 || rng.gen_bool(0.06),
            };
            let id =
                ulid::Ulid::from_parts(1_790_000_000_000 + out.len() as u64, rng.r#gen::<u128>())
                    .to_string();
            out.push((id, draft));
            if out.len() >= count {
                return out;
            }
        }
    }
    out
}

/// Synthetic stations across the whole province for benchmarks: clustered around the
/// leagues' seats the way real stations are.
pub fn synthetic_stations(
    regions: &[Region],
    count: usize,
    seed: u64,
) -> Vec<(String, StationDraft)> {
    let mut rng = StdRng::seed_from_u64(seed);
    let cities = children(regions, "150000");
    let mut out = Vec::with_capacity(count);
    for n in 0..count {
        let city = cities[rng.gen_range(0..cities.len())];
        let g = |rng: &mut StdRng| (0..3).map(|_| rng.gen_range(-1.0..1.0)).sum::<f64>() / 1.5;
        let (dlat_km, dlng_km) = (g(&mut rng) * 60.0, g(&mut rng) * 60.0);
        let Ok(location) = LatLng::new(
            city.lat + dlat_km / 111.2,
            city.lng + dlng_km / (111.2 * city.lat.to_radians().cos()),
        ) else {
            continue;
        };
        let t = StationType::ALL[n % StationType::ALL.len()];
        let draft = StationDraft {
            name: name_for(&mut rng, t, &city.name),
            station_type: t,
            region_code: city.code.clone(),
            address: format!(
                "{}{}{}号",
                city.name,
                pick(&mut rng, STREETS),
                rng.gen_range(1..300)
            ),
            location,
            opening_hours: "09:00-17:00".into(),
            contact: "0477-8581234".into(),
            description: String::new(),
            five_have: FiveHave::ALL,
            demonstration: false,
        };
        let id =
            ulid::Ulid::from_parts(1_790_000_000_000 + n as u64, rng.r#gen::<u128>()).to_string();
        out.push((id, draft));
    }
    out
}

/// Writes approved stations in batches (seeding and benchmarks only).
pub async fn put_stations(
    store: &Store,
    stations: &[(String, StationDraft)],
) -> Result<(), StoreError> {
    let now = crate::clock::now_rfc3339();
    let items: Vec<StationItem> = stations
        .iter()
        .map(|(id, d)| station_item(id, d, StationStatus::Approved, &now, &now))
        .collect();
    store.put_stations_batch(&items).await
}

/// What `init-local` did.
#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded { stations: usize, accounts: usize },
    AlreadySeeded,
}

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
pub async fn demo_accounts(
    store: &Store,
    keys: &Keys,
    stations: &[(String, StationDraft)],
) -> Result<usize, ApiError> {
    use zhiyuan_shared::account::{RegisterRequest, Role, RoleGrant, VolunteerRequest};
    use zhiyuan_shared::org::{OrgInput, OrgStatus};
    let mut ids = Vec::new();
    for (phone, name) in DEMO_ACCOUNTS {
        let r = accounts::register(
            store,
            keys,
            RegisterRequest {
                phone: phone.into(),
                password: DEMO_PASSWORD.into(),
                display_name: name.into(),
            },
        )
        .await?;
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
            let grants = user.grants();
            Ok::<_, ApiError>(Caller { user, grants })
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
async fn demo_residents(
    store: &Store,
    keys: &Keys,
    regions: &[Region],
    city: &str,
) -> Result<(), ApiError> {
    use crate::store::accounts::{UserItem, VolunteerItem};
    use zhiyuan_shared::account::VolunteerGroup as G;
    let groups = [
        (G::PartyMember, "1975"),
        (G::Cadre, "1982"),
        (G::CollegeStudent, "2005"),
        (G::SchoolStudent, "2010"),
        (G::Worker, "1990"),
        (G::WomensTeam, "1986"),
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
            let id = ulid::Ulid::new().to_string();
            let name = format!("{}志愿者{}", banner.name, k + 1);
            let user = UserItem {
                pk: crate::store::keys::user_pk(&id),
                sk: crate::store::keys::USER_SK.into(),
                entity_type: crate::store::accounts::USER_ENTITY.into(),
                id: id.clone(),
                display_name: name.clone(),
                phone_sealed: keys.seal(&phone),
                phone_index: keys.blind_index(accounts::PHONE, &phone),
                password_hash: "demo-resident-no-login".into(),
                token_gen: 0,
                roles: vec![],
                volunteer: None,
                served_minutes: 0,
                years: Default::default(),
                stats_rev: 0,
                trainings_done: 0,
                created_at: now.clone(),
                signup_seq: 0,
                notices_seen: None,
            };
            let serial_no = store.next_volunteer_serial(banner.code.as_str()).await?;
            let volunteer = VolunteerItem {
                volunteer_no: format!("{}{serial_no:08}", banner.code),
                real_name: name,
                id_sealed: keys.seal(&id_number),
                id_index: keys.blind_index(accounts::ID_NUMBER, &id_number),
                id_masked: format!("{}**********{}", &id_number[..4], &id_number[14..]),
                gender: zhiyuan_shared::identity::Gender::Female,
                birth_date: format!("{born}-01-01"),
                region_code: banner.code.to_string(),
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
                &volunteer.region_code,
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
        activities::sign_up(store, volunteer, &shift.id, &format!("demo{n}"), before).await?;
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

/// Creates the table if absent and writes regions, demo stations and demo accounts once.
pub async fn init_local(store: &Store, keys: &Keys) -> Result<SeedOutcome, ApiError> {
    let table = store.table_name();
    if !crate::store::table::create_if_absent(store.client(), table).await?
        && crate::store::table::recreate_if_changed(store.client(), table).await?
    {
        // Printed, not logged: the operator running `make dev` should see it.
        eprintln!("the local table had an older layout; it was recreated empty and is re-seeded");
    }
    if store.seed_marker_exists().await? {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let regions = regions().map_err(|e| StoreError::Decode(e.to_string()))?;
    store.put_regions(&regions).await?;
    let ordos = RegionCode::parse("150600").map_err(|e| StoreError::Decode(e.to_string()))?;
    let stations = demo_stations(&regions, ordos.as_str(), 200, 2026);
    put_stations(store, &stations).await?;
    let accounts = demo_accounts(store, keys, &stations).await?;
    demo_residents(store, keys, &regions, ordos.as_str()).await?;
    store.put_seed_marker(&crate::clock::now_rfc3339()).await?;
    Ok(SeedOutcome::Seeded {
        stations: stations.len(),
        accounts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_data_has_ordos_and_its_nine_banners_and_twelve_leagues() {
        let regions = regions().expect("regions.json parses");
        assert_eq!(children(&regions, "150000").len(), 12);
        let banners = children(&regions, "150600");
        assert_eq!(banners.len(), 9);
        let ordos = regions
            .iter()
            .find(|r| r.code.as_str() == "150600")
            .expect("Ordos");
        assert_eq!(
            banners.iter().map(|b| b.population).sum::<u64>(),
            ordos.population
        );
    }

    #[test]
    fn demo_stations_cover_every_banner_and_every_type() {
        let regions = regions().expect("regions.json parses");
        let stations = demo_stations(&regions, "150600", 200, 2026);
        assert!((190..=200).contains(&stations.len()), "{}", stations.len());
        for banner in children(&regions, "150600") {
            assert!(
                stations
                    .iter()
                    .filter(|(_, s)| s.region_code == banner.code)
                    .count()
                    >= 9,
                "{}",
                banner.name
            );
        }
        for t in StationType::ALL {
            assert!(
                stations.iter().any(|(_, s)| s.station_type == t),
                "{t:?} missing"
            );
        }
        let complete = stations
            .iter()
            .filter(|(_, s)| s.five_have.complete())
            .count();
        assert!(complete > 40 && complete < 140, "{complete} 五有达标");
        assert!(stations.iter().any(|(_, s)| s.demonstration));
    }
}
