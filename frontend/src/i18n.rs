//! Translations: zh-CN (default) and English. Every user-facing string goes through `t`.

use leptos::prelude::*;
use zhiyuan_shared::station::StationType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn from_code(code: &str) -> Self {
        if code.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// (key, zh-CN, en). Keys are stable identifiers; a unit test checks none is empty.
const STRINGS: &[(&str, &str, &str)] = &[
    ("app_name", "志愿", "Zhiyuan"),
    (
        "app_tagline",
        "鄂尔多斯志愿服务平台",
        "Ordos volunteer service platform",
    ),
    ("skip_to_content", "跳到主要内容", "Skip to main content"),
    ("nav_map", "志愿服务地图", "Stations map"),
    ("switch_language", "English", "中文"),
    ("switch_language_label", "切换到英文", "Switch to Chinese"),
    ("large_text", "大字模式", "Large text"),
    ("map_title", "志愿服务地图", "Volunteer service map"),
    (
        "map_region_label",
        "志愿服务站点地图",
        "Map of volunteer service stations",
    ),
    (
        "map_tiles_unavailable",
        "地图底图暂时无法加载，站点标记和列表仍可使用。",
        "Map tiles cannot load right now; markers and the list still work.",
    ),
    ("filters", "筛选", "Filters"),
    ("filter_type", "站点类型", "Station type"),
    ("filter_region", "旗区", "Banner / district"),
    ("all_types", "全部类型", "All types"),
    ("all_regions", "全市", "Whole city"),
    ("locate_me", "定位我的位置", "Locate me"),
    ("locating", "正在定位…", "Locating…"),
    (
        "locate_denied",
        "无法获取您的位置。您可以在地图上点击或选择一个旗区中心。",
        "Your location is not available. Click the map or pick a banner centre instead.",
    ),
    ("choose_point", "或选择位置", "Or choose a place"),
    ("choose_point_none", "— 选择 —", "— choose —"),
    (
        "map_click_hint",
        "提示：点击地图可把该点设为您的位置。",
        "Tip: click the map to search from that point.",
    ),
    ("nearest_title", "离我最近的站点", "Nearest stations"),
    (
        "nearest_empty_no_point",
        "定位或选择位置后，这里会按距离列出最近的站点。",
        "Locate yourself or pick a place to list the nearest stations by distance.",
    ),
    (
        "nearest_none",
        "附近 50 公里内没有符合条件的站点。",
        "No matching station within 50 km.",
    ),
    ("search_radius", "搜索半径", "Search radius"),
    ("km", "公里", "km"),
    ("m", "米", "m"),
    ("stations_count", "个站点", "stations"),
    ("loading", "加载中…", "Loading…"),
    ("load_more", "加载更多", "Load more"),
    ("retry", "重试", "Retry"),
    ("demonstration", "示范站点", "Demonstration station"),
    ("five_have_ok", "五有达标", "Five-haves met"),
    ("five_have_title", "“五有”建设情况", "The five haves"),
    ("five_have_venue", "有场所和设备", "Venue and equipment"),
    ("five_have_manager", "有管理者和队伍", "Manager and team"),
    ("five_have_rules", "有制度和流程", "Rules and procedures"),
    (
        "five_have_projects",
        "有项目和活动",
        "Projects and activities",
    ),
    (
        "five_have_funds",
        "有运行经费和活动资金",
        "Operating and activity funds",
    ),
    ("yes", "已具备", "In place"),
    ("no", "未具备", "Missing"),
    ("address", "地址", "Address"),
    ("opening_hours", "开放时间", "Opening hours"),
    ("contact", "联系电话", "Contact"),
    (
        "contact_masked_note",
        "（已隐藏部分号码，请到站点咨询）",
        "(partly hidden; ask at the station)",
    ),
    ("station_type", "类型", "Type"),
    ("region", "所属旗区", "Banner / district"),
    ("upcoming_activities", "近期活动", "Upcoming activities"),
    (
        "no_upcoming_activities",
        "暂无近期活动。",
        "No upcoming activities.",
    ),
    ("back_to_map", "返回地图", "Back to the map"),
    ("view_station", "查看站点", "View station"),
    ("not_found_title", "页面不存在", "Page not found"),
    (
        "not_found_body",
        "您访问的页面不存在或已被移除。",
        "The page you asked for does not exist or was removed.",
    ),
    (
        "station_not_found",
        "没有找到这个站点，它可能已被移除。",
        "This station was not found; it may have been removed.",
    ),
    (
        "error_network",
        "网络连接失败，请检查网络后重试。",
        "Could not reach the server; check your connection and retry.",
    ),
    (
        "error_busy",
        "服务繁忙，请稍后重试。",
        "The service is busy; please retry shortly.",
    ),
    (
        "error_internal",
        "服务器出错了，请稍后重试。",
        "Something went wrong on our side; please retry.",
    ),
    ("error_invalid_field", "输入有误", "Invalid input"),
    ("distance", "距离", "Distance"),
    ("your_location", "您的位置", "Your location"),
    (
        "footer",
        "鄂尔多斯市文明办 · 志愿服务信息平台",
        "Ordos Civilisation Office · volunteer service platform",
    ),
];

pub fn t(lang: Lang, key: &str) -> &'static str {
    match STRINGS.iter().find(|(k, _, _)| *k == key) {
        Some((_, zh, en)) => match lang {
            Lang::Zh => zh,
            Lang::En => en,
        },
        None => "",
    }
}

pub fn type_label(lang: Lang, t: StationType) -> &'static str {
    let (zh, en) = match t {
        StationType::PracticeCentre => ("新时代文明实践中心", "Civilisation practice centre"),
        StationType::PracticeInstitute => ("新时代文明实践所", "Civilisation practice institute"),
        StationType::PracticeStation => ("新时代文明实践站", "Civilisation practice station"),
        StationType::Community => ("社区", "Community"),
        StationType::Village => ("嘎查村", "Village (gacha)"),
        StationType::Street => ("街道", "Street office"),
        StationType::TransportHub => ("车站", "Railway or bus station"),
        StationType::Park => ("公园", "Park"),
        StationType::Square => ("广场", "Square"),
        StationType::ScenicSpot => ("景区", "Scenic spot"),
        StationType::Museum => ("博物馆", "Museum"),
        StationType::Library => ("图书馆", "Library"),
        StationType::ScienceMuseum => ("科技馆", "Science museum"),
        StationType::MemorialHall => ("纪念馆", "Memorial hall"),
        StationType::CivilisedUnit => ("文明单位", "Civilised unit"),
    };
    if lang == Lang::Zh { zh } else { en }
}

/// The current language, from context.
pub fn use_lang() -> ReadSignal<Lang> {
    expect_context::<ReadSignal<Lang>>()
}

/// A reactive translation for views: `{tr("key")}`.
pub fn tr(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

pub fn format_distance(lang: Lang, metres: u32) -> String {
    if metres < 1000 {
        format!("{metres} {}", t(lang, "m"))
    } else {
        format!("{:.1} {}", f64::from(metres) / 1000.0, t(lang, "km"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_has_both_languages_and_a_unique_key() {
        for (i, (k, zh, en)) in STRINGS.iter().enumerate() {
            assert!(!zh.is_empty() && !en.is_empty(), "{k}");
            assert!(
                STRINGS[..i].iter().all(|(other, _, _)| other != k),
                "duplicate key {k}"
            );
        }
    }

    #[test]
    fn distances_read_in_metres_then_kilometres() {
        assert_eq!(format_distance(Lang::Zh, 850), "850 米");
        assert_eq!(format_distance(Lang::En, 12_345), "12.3 km");
    }
}
