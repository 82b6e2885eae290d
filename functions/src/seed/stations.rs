//! Demo and benchmark stations: names shaped like real ones, spread over the banners the
//! way real stations are.

use super::children;
use crate::service::stations::station_item;
use crate::store::stations::StationItem;
use crate::store::{Store, StoreError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zhiyuan_shared::geo::LatLng;
use zhiyuan_shared::region::Region;
use zhiyuan_shared::station::{FiveHave, StationDraft, StationStatus, StationType};

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
