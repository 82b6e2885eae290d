//! Translations: zh-CN (default) and English. Every user-facing string goes through `t`.

use leptos::prelude::*;
use zhiyuan_shared::account::{Role, ServiceField, VolunteerGroup};
use zhiyuan_shared::activity::ServiceTarget;
use zhiyuan_shared::org::OrgType;
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
    (
        "map_unavailable",
        "地图暂时无法显示，站点列表仍可使用。",
        "The map cannot be shown right now; the list of stations still works.",
    ),
    ("map_notice_close", "关闭提示", "Dismiss notice"),
    ("map_loading", "地图加载中…", "Loading the map…"),
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
    (
        "activities_shown",
        "已显示 {n} 个活动",
        "{n} activities shown",
    ),
    (
        "activities_all_shown",
        "已显示全部 {n} 个活动",
        "All {n} activities shown",
    ),
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
    // Accounts
    ("nav_orgs", "志愿组织", "Organisations"),
    ("nav_me", "我的", "My account"),
    ("nav_login", "登录", "Sign in"),
    ("nav_register", "注册", "Register"),
    ("nav_admin", "审核管理", "Admin"),
    ("nav_main", "主导航", "Main navigation"),
    ("nav_tabs", "快捷导航", "Quick navigation"),
    (
        "offline_notice",
        "当前没有网络：之前看过的地图标记和站点页面仍可查看；报名、登录和发布需要联网。",
        "You are offline: map markers and station pages you saw before still show; signing up, signing in and posting need a network.",
    ),
    ("tab_map", "地图", "Map"),
    ("tab_activities", "活动", "Activities"),
    ("tab_needs", "需求", "Needs"),
    ("tab_me", "我的", "Me"),
    ("more_title", "更多", "More"),
    ("this_week", "本周有活动", "Activities this week"),
    ("filters_more", "筛选", "Filters"),
    (
        "table_scroll_hint",
        "表格可左右滚动",
        "The table scrolls sideways",
    ),
    ("phone", "手机号码", "Mobile number"),
    (
        "phone_hint",
        "11位手机号码，如 13812345678",
        "11 digits, e.g. 13812345678",
    ),
    ("password", "密码", "Password"),
    (
        "password_hint",
        "至少8位，不能全是数字",
        "At least 8 characters, not only digits",
    ),
    ("display_name", "昵称", "Display name"),
    ("login_title", "登录", "Sign in"),
    ("login_submit", "登录", "Sign in"),
    ("register_title", "注册账号", "Create an account"),
    ("register_submit", "注册", "Register"),
    ("no_account", "还没有账号？", "No account yet?"),
    ("have_account", "已有账号？", "Already registered?"),
    ("logout", "退出登录", "Sign out"),
    (
        "logout_note",
        "退出后，所有设备上的登录都会失效。",
        "Signing out ends your sessions on every device.",
    ),
    ("submitting", "提交中…", "Submitting…"),
    ("sign_in_first", "请先登录。", "Please sign in first."),
    ("me_title", "我的账号", "My account"),
    ("roles", "角色", "Roles"),
    ("role_none", "普通用户", "Resident"),
    ("role_volunteer", "志愿者", "Volunteer"),
    ("role_organizer", "组织管理员", "Organizer"),
    ("role_station_manager", "站点负责人", "Station manager"),
    ("role_region_admin", "文明办管理员", "Region admin"),
    ("show_full", "显示完整号码", "Show in full"),
    ("hide_full", "隐藏", "Hide"),
    ("total_hours", "累计服务时长", "Total service hours"),
    ("hours", "小时", "h"),
    ("star_level", "星级", "Star level"),
    ("stars_none", "未达星级", "No star yet"),
    ("become_volunteer", "成为志愿者", "Become a volunteer"),
    (
        "become_volunteer_intro",
        "实名注册后即可报名活动、记录服务时长并获得志愿者编号。",
        "Register with your real name to sign up for activities, record hours and get a volunteer number.",
    ),
    ("volunteer_profile", "志愿者信息", "Volunteer profile"),
    ("volunteer_no", "志愿者编号", "Volunteer number"),
    ("real_name", "真实姓名", "Real name"),
    ("id_number", "居民身份证号码", "Resident ID number"),
    (
        "id_number_hint",
        "18位，最后一位可能是 X",
        "18 characters; the last may be X",
    ),
    ("gender", "性别", "Gender"),
    ("gender_male", "男", "Male"),
    ("gender_female", "女", "Female"),
    ("birth_date", "出生日期", "Date of birth"),
    ("service_fields", "服务领域", "Service fields"),
    ("groups", "所属群体", "Groups"),
    (
        "groups_hint",
        "可不选；用于统计各群体的年度服务时长。",
        "Optional; used for each group's yearly hours.",
    ),
    ("skills", "技能特长", "Skills"),
    (
        "skills_hint",
        "用逗号分隔，如：急救，摄影",
        "Separate with commas, e.g. first aid, photography",
    ),
    (
        "consent",
        "我已阅读并同意《个人信息处理告知》：身份证号码和手机号码加密保存，仅用于实名认证和服务记录，其他人只能看到打码后的号码。",
        "I have read and agree to the personal-information notice: my ID and phone numbers are stored encrypted, used only for real-name verification and service records, and shown to others only masked.",
    ),
    (
        "guardian_title",
        "监护人同意（未满14周岁）",
        "Guardian's consent (under 14)",
    ),
    (
        "guardian_intro",
        "根据个人信息保护法，未满14周岁的志愿者须由监护人同意。",
        "By PIPL, volunteers under 14 need a guardian's consent.",
    ),
    ("guardian_name", "监护人姓名", "Guardian's name"),
    (
        "guardian_phone",
        "监护人手机号码",
        "Guardian's mobile number",
    ),
    ("guardian_relation", "与本人关系", "Relationship"),
    ("volunteer_submit", "提交实名注册", "Submit registration"),
    (
        "volunteer_done",
        "实名注册成功！您的志愿者编号：",
        "Registered! Your volunteer number: ",
    ),
    ("my_orgs", "我的组织", "My organisations"),
    (
        "my_orgs_none",
        "还没有加入任何组织。",
        "You have not joined an organisation yet.",
    ),
    ("status_pending", "待审核", "Pending"),
    ("status_approved", "已通过", "Approved"),
    ("status_rejected", "未通过", "Rejected"),
    ("orgs_title", "志愿服务组织", "Volunteer organisations"),
    (
        "orgs_none",
        "这个地区还没有已审核的组织。",
        "No approved organisations in this region yet.",
    ),
    ("register_org", "登记志愿组织", "Register an organisation"),
    ("org_name", "组织名称", "Organisation name"),
    ("org_type", "组织类型", "Organisation type"),
    ("org_region", "所属地区", "Region"),
    ("choose", "— 请选择 —", "— choose —"),
    ("description", "简介", "Description"),
    ("org_submit", "提交登记", "Submit"),
    ("org_status", "审核状态", "Status"),
    (
        "org_submitted",
        "已提交，等待所属旗区文明办审核。",
        "Submitted; waiting for the region office's approval.",
    ),
    ("members", "成员", "Members"),
    ("member_count", "名成员", "members"),
    ("join_requests", "入会申请", "Join requests"),
    (
        "join_requests_none",
        "暂无待审核的申请。",
        "No requests waiting.",
    ),
    ("join", "申请加入", "Ask to join"),
    (
        "join_sent",
        "申请已提交，等待组织审核。",
        "Request sent; waiting for the organisation.",
    ),
    ("approve", "通过", "Approve"),
    ("reject", "不通过", "Reject"),
    ("reject_reason", "不通过的理由", "Reason for rejection"),
    ("approved_done", "已通过。", "Approved."),
    ("rejected_done", "已退回。", "Rejected."),
    ("organizer_badge", "管理员", "Organizer"),
    ("requested_at", "申请时间", "Requested"),
    ("admin_title", "审核管理", "Approvals"),
    ("admin_scope", "管辖范围", "Your region"),
    (
        "admin_pending_orgs",
        "待审核的志愿组织",
        "Organisations waiting for approval",
    ),
    (
        "admin_queue_empty",
        "没有待审核的组织。",
        "Nothing is waiting.",
    ),
    (
        "admin_only",
        "只有文明办管理员可以使用此页面。",
        "Only region admins can use this page.",
    ),
    (
        "names_only_note",
        "成员名单只显示姓名和编号，不显示手机号码。",
        "The roster shows names and numbers only, never phone numbers.",
    ),
    // Field errors (checked in the browser before sending, in the reader's language)
    (
        "err_phone",
        "请输入11位手机号码（以1开头）。",
        "Enter an 11-digit mobile number starting with 1.",
    ),
    (
        "err_password",
        "密码至少8位，且不能全是数字。",
        "The password needs 8 characters or more and not only digits.",
    ),
    (
        "err_display_name",
        "请输入1–30个字的昵称。",
        "Enter a display name of 1–30 characters.",
    ),
    (
        "err_real_name",
        "请输入2–30个字的真实姓名（可含间隔号·）。",
        "Enter your real name, 2–30 letters (the middle dot · is allowed).",
    ),
    (
        "err_id_format",
        "身份证号码应为18位：17位数字加1位校验码（0–9或X）。",
        "The ID number has 18 characters: 17 digits and a check digit (0–9 or X).",
    ),
    (
        "err_id_checksum",
        "身份证号码校验位不正确，请核对。",
        "The ID number's check digit is wrong; please check it.",
    ),
    (
        "err_id_birth",
        "身份证号码中的出生日期无效。",
        "The birth date in the ID number is not valid.",
    ),
    (
        "err_id_region",
        "身份证号码中的地区代码无效。",
        "The region code in the ID number is not valid.",
    ),
    ("err_region_code", "请选择所属地区。", "Choose a region."),
    (
        "err_service_fields",
        "请至少选择一个服务领域。",
        "Choose at least one service field.",
    ),
    (
        "err_groups",
        "所属群体选择有误。",
        "The groups are not valid.",
    ),
    (
        "err_skills",
        "每项技能不超过20个字，最多10项。",
        "Up to 10 skills of at most 20 characters.",
    ),
    (
        "err_consent",
        "请阅读并同意个人信息处理告知。",
        "Please read and accept the personal-information notice.",
    ),
    (
        "err_guardian",
        "未满14周岁，请填写监护人信息。",
        "Under 14: please fill in the guardian's details.",
    ),
    (
        "err_guardian_name",
        "请输入监护人的真实姓名。",
        "Enter the guardian's real name.",
    ),
    (
        "err_guardian_phone",
        "请输入监护人的11位手机号码。",
        "Enter the guardian's 11-digit mobile number.",
    ),
    (
        "err_guardian_relation",
        "请填写与监护人的关系。",
        "Enter the relationship.",
    ),
    (
        "err_name",
        "请输入2–60个字的名称。",
        "Enter a name of 2–60 characters.",
    ),
    (
        "err_org_type",
        "请选择组织类型。",
        "Choose an organisation type.",
    ),
    (
        "err_description",
        "简介不超过2000字。",
        "At most 2000 characters.",
    ),
    ("err_reason", "请填写理由。", "Please give a reason."),
    (
        "form_has_errors",
        "提交未成功，请修改标出的内容。",
        "Not submitted; please correct the marked field.",
    ),
    // API error codes
    (
        "code_phone_taken",
        "这个手机号码已经注册，请直接登录。",
        "This number is already registered; please sign in.",
    ),
    (
        "code_id_number_taken",
        "这个身份证号码已注册为志愿者。如有疑问请联系所在旗区文明办。",
        "This ID number is already registered as a volunteer. Contact your region office if this is wrong.",
    ),
    (
        "code_already_volunteer",
        "您已经完成实名注册。",
        "You are registered already.",
    ),
    (
        "code_already_member",
        "您已是成员，或申请正在审核。",
        "You are a member already, or your request is waiting.",
    ),
    (
        "code_org_not_approved",
        "该组织尚未通过审核。",
        "This organisation is not approved yet.",
    ),
    (
        "code_org_name_taken",
        "本地区已有同名组织。",
        "An organisation of this name already exists in this region.",
    ),
    (
        "code_wrong_state",
        "状态已变化，请刷新页面。",
        "This has changed meanwhile; please reload.",
    ),
    (
        "code_volunteer_required",
        "请先完成实名注册，成为志愿者。",
        "Please complete real-name registration first.",
    ),
    (
        "code_forbidden",
        "您没有权限进行此操作。",
        "You are not allowed to do this.",
    ),
    (
        "code_unauthorized",
        "手机号码或密码不正确。",
        "The number or the password is wrong.",
    ),
    (
        "code_session_expired",
        "登录已过期，请重新登录。",
        "Your session has ended; please sign in again.",
    ),
    (
        "code_too_many_requests",
        "尝试次数过多，请稍后再试。",
        "Too many attempts; please try again later.",
    ),
    ("nav_activities", "志愿活动", "Activities"),
    (
        "org_activities",
        "本组织的活动",
        "This organisation's activities",
    ),
    ("activities_title", "志愿活动", "Volunteer activities"),
    (
        "activities_none",
        "暂无符合条件的活动。",
        "No activities match.",
    ),
    ("all", "全部", "All"),
    ("places_left", "剩余名额", "Places left"),
    ("waitlist", "候补", "Waitlist"),
    ("organisation", "组织", "Organisation"),
    ("place", "地点", "Place"),
    ("service_field", "服务领域", "Service field"),
    ("service_targets", "服务对象", "Service targets"),
    ("deadline", "招募截止", "Sign-up deadline"),
    ("min_age", "最低年龄", "Minimum age"),
    ("requirements", "要求", "Requirements"),
    ("shifts", "班次", "Shifts"),
    ("shift", "班次", "Shift"),
    ("sign_up", "报名", "Sign up"),
    ("join_waitlist", "加入候补", "Join the waitlist"),
    ("cancel_signup", "取消报名", "Cancel sign-up"),
    ("signed_up", "报名成功！", "You are signed up!"),
    (
        "waitlisted_msg",
        "名额已满，您已进入候补，有人取消时将自动递补并通知您。",
        "The shift is full: you are on the waitlist and will be moved up and told when a place frees.",
    ),
    (
        "signup_cancelled",
        "已取消报名。",
        "Your sign-up is cancelled.",
    ),
    (
        "sign_in_to_sign_up",
        "请先登录再报名。",
        "Please sign in to sign up.",
    ),
    ("status_confirmed", "已报名", "Signed up"),
    ("status_waitlisted", "候补中", "On the waitlist"),
    ("activity_cancelled", "活动已取消", "Activity cancelled"),
    ("roster", "报名名单", "Roster"),
    (
        "roster_empty",
        "还没有人报名。",
        "Nobody has signed up yet.",
    ),
    ("status", "状态", "Status"),
    ("cancel_activity", "取消活动", "Cancel the activity"),
    (
        "cancel_reason",
        "取消原因（将通知所有报名者）",
        "Reason (everyone signed up is told)",
    ),
    ("publish_activity", "发布活动", "Publish an activity"),
    (
        "organizers_only",
        "只有组织管理员可以发布活动。",
        "Only organizers can publish activities.",
    ),
    ("activity_title", "活动名称", "Title"),
    ("activity_region", "所在旗区", "Banner / district"),
    ("station", "服务站点", "Station"),
    (
        "no_station",
        "不在站点（填写地址）",
        "Not at a station (give the address)",
    ),
    (
        "address_hint",
        "不选站点时必填",
        "Required when no station is chosen",
    ),
    ("starts_at", "开始", "Starts"),
    ("ends_at", "结束", "Ends"),
    ("places", "名额", "Places"),
    ("add_shift", "添加班次", "Add a shift"),
    ("my_activities", "我的活动", "My activities"),
    (
        "my_activities_none",
        "您还没有报名任何活动。",
        "You have not signed up for anything yet.",
    ),
    ("find_activities", "去找活动", "Find activities"),
    ("notices", "通知", "Notices"),
    ("notices_none", "暂无通知。", "No notices."),
    ("unread", "未读：", "Unread:"),
    ("mark_all_read", "全部标为已读", "Mark all read"),
    ("new", "新", "New"),
    ("reason_prefix", "原因：", "Reason: "),
    (
        "notice_promoted",
        "您已从候补递补为「{subject}」的正式报名（{time}）。",
        "You moved up from the waitlist of “{subject}” ({time}).",
    ),
    (
        "notice_activity_cancelled",
        "「{subject}」（{time}）已取消。",
        "“{subject}” ({time}) is cancelled.",
    ),
    (
        "notice_reminder",
        "提醒：您报名的「{subject}」将于 {time} 开始。",
        "Reminder: “{subject}” starts at {time}.",
    ),
    (
        "notice_org_approved",
        "组织「{subject}」已通过审核。",
        "“{subject}” has been approved.",
    ),
    (
        "notice_org_rejected",
        "组织「{subject}」未通过审核。",
        "“{subject}” was not approved.",
    ),
    (
        "notice_member_approved",
        "您已成为「{subject}」的成员。",
        "You are now a member of “{subject}”.",
    ),
    (
        "code_already_signed_up",
        "您已报名该班次。",
        "You are already signed up for this shift.",
    ),
    (
        "code_overlapping_shift",
        "该时段您已报名了其他班次。",
        "You are signed up for another shift at this time.",
    ),
    (
        "code_deadline_passed",
        "报名已截止。",
        "Sign-up has closed.",
    ),
    (
        "code_activity_cancelled",
        "活动已取消。",
        "The activity has been cancelled.",
    ),
    (
        "code_shift_started",
        "该班次已开始。",
        "This shift has already started.",
    ),
    (
        "code_below_min_age",
        "您未达到该活动的最低年龄。",
        "You are below this activity's minimum age.",
    ),
    ("err_org_id", "请选择组织。", "Choose the organisation."),
    (
        "err_title",
        "请填写活动名称（2–60 字）。",
        "Give a title (2–60 characters).",
    ),
    (
        "err_service_field",
        "请选择服务领域。",
        "Choose a service field.",
    ),
    (
        "err_service_targets",
        "服务对象无效。",
        "A service target is not valid.",
    ),
    (
        "err_address",
        "请填写地址或选择站点。",
        "Give the address or choose a station.",
    ),
    (
        "err_lat",
        "请选择旗区或站点以确定位置。",
        "Choose a banner or a station to place it.",
    ),
    (
        "err_station_id",
        "请选择有效的站点。",
        "Choose a valid station.",
    ),
    ("err_shifts", "班次有误：", "A shift is wrong:"),
    (
        "err_min_age",
        "最低年龄须为 0–100。",
        "Minimum age must be 0–100.",
    ),
    ("err_deadline", "截止时间有误。", "The deadline is wrong."),
    (
        "err_requirements",
        "要求过长。",
        "Requirements are too long.",
    ),
    ("checkin_radius", "签到距离校验", "Check-in distance check"),
    ("no_distance_check", "不校验位置", "No location check"),
    ("within", "距活动地点", "Within"),
    ("metres", "米内", "metres of the place"),
    (
        "checkin_radius_hint",
        "开启后，志愿者签到时需允许定位；位置只用于本次校验，不会保存。",
        "When on, volunteers allow their location at check-in; it is used for this check only and not kept.",
    ),
    (
        "err_checkin_radius_m",
        "签到距离须为 100–5000 米。",
        "The check-in distance must be 100–5000 m.",
    ),
    ("my_records", "我的时长", "My hours"),
    ("hours_unit", "小时", "h"),
    ("record_pending", "待确认", "Pending"),
    ("record_confirmed", "已确认", "Confirmed"),
    ("record_corrected", "已更正", "Corrected"),
    ("record_void", "已作废", "Void"),
    ("audit_check_in", "签到", "Checked in"),
    ("audit_check_out", "签退", "Checked out"),
    ("audit_hand_entry", "手动录入", "Entered by hand"),
    (
        "audit_auto_close",
        "到点自动签退",
        "Closed at the shift's end",
    ),
    ("audit_confirm", "确认时长", "Hours confirmed"),
    ("audit_correct", "更正", "Corrected"),
    ("audit_void", "作废", "Voided"),
    ("audit_dispute", "志愿者纠错", "Disputed by the volunteer"),
    ("audit_answer", "组织答复", "Answered by the organisation"),
    ("audit_import", "异地转入", "Transferred in"),
    (
        "perk_insurance",
        "志愿者意外保险",
        "Volunteer accident insurance",
    ),
    ("perk_bus", "免费乘坐公交", "Free city buses"),
    (
        "perk_scenic_spots",
        "景区免费或优惠游览",
        "Free or reduced entry to scenic spots",
    ),
    ("perk_health_check", "免费健康体检", "Free health check"),
    ("perk_shows", "文艺演出赠票", "Tickets to shows"),
    (
        "perk_priority_service",
        "公共服务优先办理",
        "Priority at public service counters",
    ),
    (
        "perk_recognition",
        "年度表彰推荐",
        "Nomination for annual recognition",
    ),
    ("checkin_screen", "签到管理", "Check-in screen"),
    ("checkin_code", "签到码", "Check-in code"),
    (
        "qr_label",
        "签到二维码，扫码打开签到页",
        "Check-in QR code: scan to open the check-in page",
    ),
    (
        "code_changes",
        "签到码每 30 秒更换，下次更换：{time}",
        "The code changes every 30 seconds; next at {time}",
    ),
    (
        "confirmed_n",
        "已确认 {n} 条记录；{open} 人尚未签退。",
        "{n} records confirmed; {open} not checked out yet.",
    ),
    ("records_review", "服务记录审核", "Review the records"),
    ("confirm_all", "全部确认", "Confirm all"),
    (
        "not_checked_in",
        "已报名未签到",
        "Signed up, not checked in",
    ),
    ("hand_check_in", "手动签到", "Check in by hand"),
    ("hand_check_out", "手动签退", "Check out by hand"),
    ("check_in", "签到", "Check-in"),
    ("check_out", "签退", "Check-out"),
    (
        "auto_closed",
        "自动签退·待核实",
        "Closed automatically · review",
    ),
    (
        "dispute_from_volunteer",
        "志愿者纠错：",
        "The volunteer disputes: ",
    ),
    ("confirm_hours", "确认时长", "Confirm hours"),
    ("correct", "更正", "Correct"),
    ("audit_trail", "变更记录", "Audit trail"),
    ("void_record", "作废此记录", "Void this record"),
    (
        "answer_only",
        "仅答复纠错，不更改",
        "Answer the dispute without changing",
    ),
    ("correction_reason", "原因（必填）", "Reason (required)"),
    ("save", "保存", "Save"),
    ("saved", "已保存。", "Saved."),
    ("checkin_title", "签到 / 签退", "Check in / out"),
    (
        "checkin_needs_location",
        "本活动需在活动地点 {m} 米内签到，提交时会请求定位（仅用于本次校验，不保存）。",
        "This activity checks in within {m} m of its place: your location is asked for on submit (used for this check only, not kept).",
    ),
    (
        "checkin_code_hint",
        "输入组织者屏幕上的 6 位数字，或用相机扫描二维码。",
        "Enter the 6 digits on the organizer's screen, or scan the QR code with your camera.",
    ),
    ("checkin_submit", "提交", "Submit"),
    ("checked_in_at", "已签到：{time}", "Checked in at {time}"),
    ("checked_out_at", "已签退：{time}", "Checked out at {time}"),
    (
        "hours_pending",
        "本次服务 {h} 小时，待组织确认。",
        "{h} h of service, waiting for the organisation to confirm.",
    ),
    (
        "transfer_downloaded",
        "转移文件已下载。请交给新所在地的文明办。",
        "The transfer file is downloaded. Hand it to the civilisation office where you now live.",
    ),
    (
        "to_next_star",
        "距下一星级还差 {h} 小时",
        "{h} h to the next star",
    ),
    ("my_perks", "我的礼遇", "My perks"),
    (
        "no_perks_yet",
        "满 100 小时可获一星及相应礼遇。",
        "At 100 h you reach ★1 and its perks.",
    ),
    ("perks_catalogue", "星级礼遇", "Perks by star level"),
    ("nav_stats", "统计", "Statistics"),
    (
        "stats_print_report",
        "打印年度报表",
        "Print the yearly report",
    ),
    (
        "stats_printed_note",
        "本报表由志愿服务信息平台根据各项记录自动统计生成。",
        "This report is computed by the platform from its records.",
    ),
    ("exemplary_title", "选树典型", "Outstanding volunteers"),
    (
        "exemplary_intro",
        "各级文明办推选的优秀志愿者、志愿服务组织、项目和社区，以及他们的故事。",
        "Outstanding volunteers, organisations, projects and communities nominated by the civilisation offices, with their stories.",
    ),
    (
        "exemplary_none",
        "这一年这里还没有推选。",
        "No nominations here for this year yet.",
    ),
    ("nominee_volunteer", "志愿者", "Volunteer"),
    ("nominee_organisation", "志愿服务组织", "Organisation"),
    ("nominee_project", "志愿服务项目", "Project"),
    ("nominee_community", "志愿服务社区", "Community"),
    ("nominated_by", "推选单位：", "Nominated by"),
    ("nominate_title", "推选典型", "Nominate"),
    ("nominee_kind", "类别", "Kind"),
    ("nominee_name", "名称或姓名", "Name"),
    ("nominee_honour", "荣誉称号", "Honour"),
    (
        "nominee_honour_hint",
        "例如：最美志愿者、优秀志愿服务组织",
        "e.g. Most admired volunteer",
    ),
    ("nominee_story", "事迹", "Their story"),
    ("nominate", "推选", "Nominate"),
    ("nominated", "已发布推选。", "The nomination is published."),
    ("err_kind", "请选择类别。", "Choose the kind."),
    (
        "err_honour",
        "请填写荣誉称号（40 字以内）。",
        "Give the honour (up to 40 characters).",
    ),
    (
        "err_story",
        "请填写事迹（20–3000 字）。",
        "Tell their story (20–3,000 characters).",
    ),
    ("err_year", "年份有误。", "The year is wrong."),
    (
        "members_trained_only",
        "只看参加过培训的成员",
        "Only members who attended a training",
    ),
    ("trainings_done", "参加培训（次）", "Trainings attended"),
    ("training_history", "培训经历", "Training history"),
    (
        "training_history_none",
        "还没有培训记录。",
        "No trainings yet.",
    ),
    ("nav_needs", "群众需求", "Needs"),
    ("needs_title", "群众需求（供需对接）", "Residents' needs"),
    (
        "needs_intro",
        "居民、社区和站点发布需要帮助的事；志愿服务组织认领后组织活动。",
        "Residents, communities and stations post what they need; organisations take it on and run an activity.",
    ),
    ("need_post", "发布需求", "Post a need"),
    (
        "need_login_to_post",
        "登录后可发布需求",
        "Sign in to post a need",
    ),
    ("my_needs", "我的需求", "My needs"),
    (
        "my_needs_none",
        "您还没有发布需求。",
        "You have not posted a need.",
    ),
    ("need_status", "状态", "Status"),
    ("need_open", "待认领", "Open"),
    ("need_claimed", "已认领", "Claimed"),
    ("need_done", "已完成", "Done"),
    ("needs_near_me", "我附近的需求", "Needs near me"),
    (
        "needs_showing_near",
        "显示 20 公里内的需求，由近及远。",
        "Showing needs within 20 km, nearest first.",
    ),
    ("needs_none", "暂无需求。", "No needs here."),
    ("need_claimed_by", "认领组织：", "Taken on by"),
    ("need_title", "需要什么帮助", "What is needed"),
    (
        "need_title_hint",
        "一句话说明，例如：独居老人每周助餐",
        "One line, e.g. weekly meals for an elderly neighbour living alone",
    ),
    ("need_for_whom", "服务对象", "Who it is for"),
    ("need_region", "所在旗区", "Banner or district"),
    (
        "need_use_position",
        "使用我的当前位置",
        "Use my current position",
    ),
    (
        "need_position_set",
        "已记录您的位置。",
        "Your position is set.",
    ),
    (
        "need_position_hint",
        "不使用定位时，需求标在所选旗区的中心。",
        "Without your position, the need is placed at the banner's centre.",
    ),
    ("need_when", "时间", "When"),
    (
        "need_when_hint",
        "例如：每周六上午",
        "e.g. Saturday mornings",
    ),
    ("need_progress", "进度", "Progress"),
    ("need_posted_by", "发布人", "Posted by"),
    ("need_activity", "对应活动", "Activity"),
    ("view_activity", "查看活动", "View the activity"),
    ("need_claim_for", "以此组织认领", "Take on for"),
    ("need_claim", "认领需求", "Take this on"),
    ("need_make_activity", "转为志愿活动", "Make it an activity"),
    ("need_mark_done", "标记为已完成", "Mark as done"),
    (
        "show_needs",
        "在地图上显示群众需求",
        "Show residents' needs on the map",
    ),
    ("open_needs_count", "条待认领需求", "open needs"),
    ("view_need", "查看需求", "View the need"),
    (
        "err_service_target",
        "请选择服务对象。",
        "Choose who it is for.",
    ),
    (
        "err_when",
        "请填写时间（60 字以内）。",
        "Say when (up to 60 characters).",
    ),
    (
        "code_already_claimed",
        "已有其他组织认领了这项需求。",
        "Another organisation has taken this need on.",
    ),
    (
        "code_need_not_claimed",
        "请先以本组织认领该需求。",
        "Claim the need for this organisation first.",
    ),
    (
        "code_changed_meanwhile",
        "他人刚刚修改过，请刷新后再编辑。",
        "Someone changed this meanwhile; reload and edit again.",
    ),
    (
        "notice_need_claimed",
        "您发布的需求「{subject}」已被认领。",
        "Your need “{subject}” has been taken on.",
    ),
    (
        "notice_need_done",
        "您发布的需求「{subject}」已完成。",
        "Your need “{subject}” is done.",
    ),
    ("export_csv", "导出 CSV", "Export CSV"),
    (
        "stats_title",
        "志愿服务统计与考核",
        "Volunteer statistics and targets",
    ),
    ("stats_year", "年度", "Year"),
    ("stats_target", "目标", "Target"),
    ("stats_met", "已达标", "met"),
    ("stats_not_met", "未达标", "not met"),
    ("stats_region_code", "区划代码", "Region code"),
    ("stats_region", "地区", "Region"),
    ("stats_population", "常住人口", "Residents"),
    ("stats_registered", "注册志愿者", "Registered volunteers"),
    (
        "stats_registered_in_year",
        "本年新注册",
        "Registered this year",
    ),
    ("stats_share", "注册率", "Share of residents"),
    ("stats_active", "参与服务的志愿者", "Volunteers who served"),
    ("stats_participation", "参与率", "Participation"),
    ("stats_hours", "服务时长（小时）", "Service hours"),
    ("stats_average_hours", "人均服务时长", "Average hours"),
    ("stats_organisations", "志愿服务组织", "Organisations"),
    ("stats_stations", "服务站点", "Stations"),
    ("stats_five_have_share", "五有达标率", "五有 share"),
    ("stats_demonstration", "示范站点", "demonstration"),
    ("stats_activities", "活动", "Activities"),
    ("stats_trainings", "培训", "trainings"),
    ("stats_needs", "群众需求", "Needs"),
    ("stats_needs_open", "待认领", "open"),
    ("stats_needs_claimed", "已认领", "claimed"),
    ("stats_needs_done", "已完成", "done"),
    ("stats_stars", "星级分布", "Star levels"),
    ("stats_no_star", "未评星", "no star"),
    ("stats_volunteers", "志愿者人数", "Volunteers"),
    ("stats_by_region", "各旗区情况", "By banner and district"),
    (
        "stats_public_note",
        "公开数据：登录的文明办管理员可查看各旗区明细和考核名单。",
        "Public figures: region admins who sign in see each banner and the compliance lists.",
    ),
    (
        "stats_compliance",
        "未达年度时长要求名单",
        "Below the yearly minimum",
    ),
    (
        "stats_compliance_help",
        "党员和干部每年不少于 20 小时，大学生不少于 40 小时，中小学生不少于 20 小时。",
        "Party members and cadres 20 h a year, college students 40 h, primary and secondary students 20 h.",
    ),
    (
        "stats_compliance_none",
        "本组全部达标。",
        "Everyone in this group has met the minimum.",
    ),
    (
        "stats_minimum_hours",
        "年度要求（小时）",
        "Yearly minimum (h)",
    ),
    ("certificate", "志愿服务记录证明", "Service certificate"),
    (
        "export_transfer",
        "导出时长转移文件",
        "Export a transfer file",
    ),
    ("no_records", "还没有服务记录。", "No service records yet."),
    ("transferred_in", "异地转入", "Transferred in from"),
    ("dispute_waiting", "纠错处理中", "Dispute waiting"),
    ("record", "服务记录", "Service record"),
    (
        "dispute_sent",
        "纠错已提交，组织将答复。",
        "Dispute sent; the organisation will answer.",
    ),
    ("activity", "活动", "Activity"),
    ("service_content", "服务内容", "Service"),
    ("recorded_by", "记录人", "Recorded by"),
    ("dispute", "纠错", "Dispute"),
    ("answer", "答复", "Answer"),
    ("when", "时间", "When"),
    ("what", "操作", "What"),
    ("who", "操作人", "Who"),
    ("before_after", "时长（前 → 后）", "Hours (before → after)"),
    ("reason", "原因", "Reason"),
    ("dispute_reason", "纠错说明", "What is wrong"),
    ("send_dispute", "提交纠错", "Send the dispute"),
    (
        "certificate_title",
        "志愿服务记录证明",
        "Certificate of volunteer service",
    ),
    ("certificate_no", "证明编号", "Certificate no."),
    ("cert_identity", "一、身份信息", "1. Identity"),
    ("cert_service", "二、服务信息", "2. Service"),
    ("cert_issuer", "三、出具信息", "3. Issuer"),
    ("id_type", "证件类型", "ID type"),
    ("resident_id", "居民身份证", "Resident identity card"),
    ("date", "日期", "Date"),
    ("issuing_org", "出具单位", "Issued by"),
    (
        "platform_issuer",
        "鄂尔多斯市志愿服务信息平台",
        "Ordos volunteer service platform",
    ),
    ("person_in_charge", "负责人", "Person in charge"),
    ("handling_officer", "经办人", "Handling officer"),
    ("issued_on", "出具日期", "Issued on"),
    ("verification_code", "验证码", "Verification code"),
    ("qr_verify_label", "核验二维码", "Verification QR code"),
    (
        "verify_hint",
        "扫码或访问以下地址核验：",
        "Scan or open this address to verify:",
    ),
    ("print", "打印", "Print"),
    ("verify_title", "证明核验", "Verify a certificate"),
    ("verify", "核验", "Verify"),
    ("certificate_valid", "证明有效", "The certificate is valid"),
    ("record_count", "记录条数", "Records"),
    (
        "certificate_unknown",
        "没有找到该验证码对应的证明。",
        "No certificate has this verification code.",
    ),
    (
        "perks_intro",
        "按累计确认的志愿服务时长评定星级：100 小时一星，300 小时二星，600 小时三星，1000 小时四星，1500 小时五星。",
        "Stars come from confirmed hours: ★1 at 100 h, ★2 at 300 h, ★3 at 600 h, ★4 at 1000 h, ★5 at 1500 h.",
    ),
    ("perk", "礼遇", "Perk"),
    ("from_star", "所需星级", "From"),
    (
        "transfer_not_a_file",
        "这不是志愿时长转移文件。",
        "This is not an hours-transfer file.",
    ),
    (
        "transfer_result",
        "志愿者 {no}：转入 {n} 条，已有 {dup} 条，时间重叠 {overlap} 条；累计 {h} 小时。",
        "Volunteer {no}: {n} imported, {dup} already here, {overlap} overlapping; {h} h in total.",
    ),
    (
        "import_transfer",
        "导入异地时长",
        "Import transferred hours",
    ),
    ("transfer_file", "转移文件", "Transfer file"),
    ("transfer_paste", "或粘贴文件内容", "Or paste its content"),
    ("import", "导入", "Import"),
    (
        "code_not_signed_up",
        "您没有该班次的报名名额。",
        "You have no place on this shift.",
    ),
    (
        "code_too_early",
        "签到将在班次开始前 1 小时开放。",
        "Check-in opens an hour before the shift.",
    ),
    ("code_shift_over", "该班次已结束。", "This shift is over."),
    (
        "code_invalid_code",
        "签到码错误或已过期，请输入屏幕上当前的签到码。",
        "The code is wrong or expired: enter the one on the screen now.",
    ),
    (
        "code_too_far",
        "您不在活动地点附近，无法签到。",
        "You are not near the activity's place.",
    ),
    (
        "code_already_checked_out",
        "您已完成本班次的签到和签退。",
        "You have checked in and out of this shift already.",
    ),
    (
        "code_record_open",
        "该志愿者尚未签退，请先签退。",
        "The volunteer has not checked out yet.",
    ),
    (
        "code_dispute_open",
        "该记录的纠错尚在处理中。",
        "This record's dispute is still waiting.",
    ),
    (
        "code_no_open_dispute",
        "该记录没有待答复的纠错。",
        "This record has no dispute waiting.",
    ),
    (
        "code_no_confirmed_records",
        "还没有已确认的服务记录，暂不能出具证明。",
        "There are no confirmed records to certify yet.",
    ),
    (
        "code_bad_signature",
        "文件签名不符，内容在导出后被改动过。",
        "The file's signature does not match: it was changed after export.",
    ),
    (
        "code_untrusted_key",
        "该文件来自未受信任的平台。",
        "The file comes from a platform this one does not trust.",
    ),
    (
        "code_volunteer_not_found",
        "该志愿者需先在本平台实名注册。",
        "The volunteer must first register here by real name.",
    ),
    (
        "err_code",
        "请输入 6 位数字签到码。",
        "Enter the 6-digit code.",
    ),
    (
        "err_location",
        "请允许定位后重试。",
        "Allow your location and try again.",
    ),
    (
        "err_check_in",
        "签到时间有误。",
        "The check-in time is wrong.",
    ),
    (
        "err_check_out",
        "签退时间有误。",
        "The check-out time is wrong.",
    ),
    ("training", "培训", "Training"),
    ("is_training", "这是一次培训", "This is a training"),
    (
        "training_explained",
        "培训出勤单独记录，不计入志愿服务时长。",
        "Training attendance is recorded on its own and does not count as service hours.",
    ),
    ("report_title", "定期报表", "Periodic report"),
    (
        "report_explained",
        "每月末自动留存的本地区统计（之后补录的记录不改动已留存的月报），本月为截至目前的数字。",
        "The region's figures kept automatically at each month's end (records confirmed later do not change a kept month); this month is so far.",
    ),
    ("report_by", "报表周期", "Report by"),
    ("report_monthly", "按月", "By month"),
    ("report_quarterly", "按季度", "By quarter"),
    ("report_period", "周期", "Period"),
    ("report_new_volunteers", "新增志愿者", "New volunteers"),
    (
        "report_hours_in_period",
        "本期服务时长",
        "Hours in the period",
    ),
    ("report_active_ytd", "年内参与人数", "Active this year"),
    ("report_hours_ytd", "年内累计时长", "Hours this year"),
    ("report_so_far", "截至目前", "so far"),
    (
        "report_none",
        "本年度还没有报表。",
        "No reports for this year yet.",
    ),
    ("archive", "活动档案", "Activity archive"),
    (
        "archive_explained",
        "活动方案、活动简报、照片和签到记录表。仅本组织的组织者和所在地区的文明办可见。",
        "The activity's plan, briefing, photos and record list. Only the organisation's organizers and the region's office see them.",
    ),
    ("archive_empty", "还没有上传文件。", "No files yet."),
    ("archive_kind_plan", "活动方案", "Plan"),
    ("archive_kind_briefing", "活动简报", "Briefing"),
    ("archive_kind_photo", "活动照片", "Photos"),
    ("archive_kind_records", "签到记录表", "Record list"),
    ("archive_kind_other", "其他材料", "Other"),
    ("archive_add", "上传文件", "Add a file"),
    ("archive_kind", "文件类别", "What it is"),
    ("archive_file", "选择文件", "File"),
    (
        "archive_rules",
        "可上传图片（jpg、png、webp、heic，10 MB 以内）和 PDF、Word、Excel、PPT 文档（20 MB 以内）。",
        "Images (jpg, png, webp, heic, up to 10 MB) and PDF, Word, Excel or PowerPoint documents (up to 20 MB).",
    ),
    ("archive_upload", "上传", "Upload"),
    ("archive_uploading", "正在上传…", "Uploading…"),
    (
        "archive_uploaded",
        "已上传「{name}」。",
        "“{name}” uploaded.",
    ),
    (
        "archive_choose_file",
        "请先选择文件。",
        "Choose a file first.",
    ),
    ("archive_remove", "删除", "Remove"),
    (
        "archive_remove_confirm",
        "确定删除「{name}」吗？删除后无法恢复。",
        "Remove “{name}”? This cannot be undone.",
    ),
    ("archive_removed", "已删除「{name}」。", "“{name}” removed."),
    (
        "err_upload_name",
        "只能上传图片（jpg、png、webp、heic）和 PDF、Word、Excel、PPT 文档，文件名需带扩展名。",
        "Only images (jpg, png, webp, heic) and PDF, Word, Excel or PowerPoint documents, with their extension, can be uploaded.",
    ),
    (
        "err_upload_content_type",
        "文件类型与扩展名不符。",
        "The file's type does not match its extension.",
    ),
    (
        "err_upload_size",
        "文件为空或过大：图片不超过 10 MB，文档不超过 20 MB。",
        "The file is empty or too large: images up to 10 MB, documents up to 20 MB.",
    ),
    (
        "err_upload_file",
        "文件内容与其类型不符，已丢弃。请上传原始文件。",
        "The file's content is not what its type says; it was discarded. Upload the original file.",
    ),
    (
        "err_upload_kind",
        "请选择文件类别。",
        "Choose what the file is.",
    ),
    (
        "code_archive_full",
        "本活动的档案文件已达上限，请先删除不需要的文件。",
        "This activity's archive is full; remove files you no longer need first.",
    ),
    (
        "code_upload_missing",
        "文件尚未传到，请重新上传。",
        "The file has not arrived; upload it again.",
    ),
    (
        "code_upload_failed",
        "上传失败，请稍后重试。",
        "The upload failed; please retry.",
    ),
    (
        "code_bad_link",
        "链接无效或已过期，请刷新页面后重试。",
        "The link is invalid or has expired; reload the page and retry.",
    ),
    (
        "footer",
        "鄂尔多斯市文明办 · 志愿服务信息平台",
        "Ordos Civilisation Office · volunteer service platform",
    ),
    // Phone verification codes: register, sign in by code, 忘记密码 (issue 14, h-codes).
    ("sms_send", "获取验证码", "Get code"),
    ("sms_sending", "正在发送…", "Sending…"),
    (
        "sms_resend_in",
        "{n} 秒后可重新获取",
        "Get a new code in {n} s",
    ),
    (
        "sms_sent",
        "验证码已发出，5 分钟内有效。如未收到，请核对号码，稍后可重新获取。",
        "A code is on its way; it is valid for 5 minutes. If none arrives, check the number and ask again shortly.",
    ),
    ("sms_code", "短信验证码", "Verification code"),
    (
        "sms_code_hint",
        "6 位数字，见手机短信",
        "6 digits, from the text message",
    ),
    (
        "err_sms_code",
        "验证码不正确或已失效，请重新获取。",
        "The code is wrong or no longer valid; get a new one.",
    ),
    ("login_mode", "登录方式", "How to sign in"),
    ("login_by_password", "密码登录", "With password"),
    ("login_by_code", "验证码登录", "With a text code"),
    ("forgot_password", "忘记密码", "Forgot password"),
    ("reset_title", "重置密码", "Reset your password"),
    (
        "reset_explained",
        "用手机验证码设置新密码，其他设备上的登录将全部退出。",
        "Set a new password with a code sent to your phone; you will be signed out everywhere else.",
    ),
    (
        "reset_submit",
        "设置新密码并登录",
        "Set the password and sign in",
    ),
    ("new_password", "新密码", "New password"),
    (
        "err_new_password",
        "新密码至少8位，不能全是数字，且不能与原密码相同。",
        "The new password needs 8 characters or more, not only digits, and must differ from the old one.",
    ),
    (
        "err_new_password_same",
        "新密码不能与原密码相同。",
        "The new password must differ from the old one.",
    ),
    // Calendar feed (订阅我的日历) and guardian consent (14–17): issue 14, h-calendar.
    ("calendar_title", "订阅我的日历", "Subscribe to my calendar"),
    (
        "calendar_intro",
        "把我已确认的志愿服务班次同步到手机日历；班次取消后日历里也会显示取消。",
        "Put my confirmed volunteer shifts into my phone's calendar; cancelled shifts show as cancelled there too.",
    ),
    ("calendar_make", "生成日历订阅链接", "Make my calendar link"),
    ("calendar_url_label", "我的日历订阅链接", "My calendar link"),
    ("calendar_copy", "复制链接", "Copy link"),
    ("calendar_copied", "已复制。", "Copied."),
    (
        "calendar_private",
        "这个链接就是钥匙：拿到它的人都能看到我的班次，请勿分享。",
        "This link is the key: anyone who has it can see my shifts, so do not share it.",
    ),
    (
        "calendar_add_to_phone",
        "添加到手机日历",
        "Add to my phone's calendar",
    ),
    (
        "calendar_how_to",
        "iPhone：点“添加到手机日历”后选“订阅”；安卓：复制链接，在日历应用（或 Google 日历网页版“通过网址添加”）中添加订阅。",
        "iPhone: tap “Add to my phone's calendar”, then “Subscribe”. Android: copy the link and add it as a subscription in your calendar app (or in Google Calendar on the web, “From URL”).",
    ),
    (
        "calendar_regenerate",
        "重新生成（旧链接失效）",
        "Make a new link (the old one stops working)",
    ),
    (
        "calendar_regenerate_confirm",
        "重新生成后，旧链接立即失效，已订阅的日历需要用新链接重新订阅。确定吗？",
        "A new link stops the old one at once; calendars subscribed to it must subscribe again with the new link. Go ahead?",
    ),
    (
        "calendar_regenerate_yes",
        "确定重新生成",
        "Yes, make a new link",
    ),
    ("calendar_regenerate_no", "取消", "Cancel"),
    ("guardian_consent_title", "监护人同意", "Guardian's consent"),
    (
        "guardian_consent_intro",
        "未满 18 周岁的志愿者参加志愿服务，需经监护人同意（《志愿服务条例》第十四条）。只需填写一次。",
        "Volunteers under 18 need their guardian's consent to serve (Regulations on Volunteer Service, Art. 14). You fill this in once.",
    ),
    (
        "guardian_consent_needed",
        "报名前请先填写监护人同意。",
        "Please record your guardian's consent before signing up.",
    ),
    (
        "guardian_relation_hint",
        "例如：父亲、母亲",
        "e.g. father, mother",
    ),
    (
        "guardian_consent_check",
        "监护人已同意我参加志愿服务",
        "My guardian agrees to my volunteering",
    ),
    ("guardian_consent_submit", "保存并报名", "Save and sign up"),
    ("guardian_consent_cancel", "以后再说", "Not now"),
    ("guardian_consent_label", "监护人同意", "Guardian's consent"),
    ("guardian_consent_recorded", "已记录", "Recorded"),
    (
        "err_guardian_consent",
        "请确认监护人已同意。",
        "Please confirm that your guardian agrees.",
    ),
    // Notice settings (通知设置): which notices also come by SMS, quiet hours.
    ("nsms_title", "通知设置", "Notice settings"),
    (
        "nsms_intro",
        "所有通知都会出现在站内通知里；勾选的类型还会发短信到您的手机。",
        "Every notice appears in your in-app notices; the kinds you tick also come by SMS to your phone.",
    ),
    (
        "nsms_legend",
        "同时发送短信的通知",
        "Also send these by SMS",
    ),
    (
        "nsms_hint",
        "短信只含您自己的信息和活动或组织名称。",
        "A text holds only your own information and the activity's or organisation's name.",
    ),
    ("nsms_promoted", "候补转正", "Moved up from the waitlist"),
    ("nsms_activity_cancelled", "活动取消", "Activity cancelled"),
    ("nsms_reminder", "活动开始提醒", "Shift reminders"),
    ("nsms_org_approved", "组织通过审核", "Organisation approved"),
    (
        "nsms_org_rejected",
        "组织未通过审核",
        "Organisation not approved",
    ),
    (
        "nsms_member_approved",
        "加入组织获批",
        "Membership approved",
    ),
    ("nsms_need_claimed", "需求被认领", "Need claimed"),
    ("nsms_need_done", "需求已完成", "Need completed"),
    ("nsms_quiet_legend", "免打扰时段", "Quiet hours"),
    (
        "nsms_quiet_label",
        "晚上 22:00 至早上 7:00（北京时间）不发短信",
        "No texts from 22:00 to 07:00 (Beijing time)",
    ),
    (
        "nsms_quiet_hint",
        "这段时间里的短信会在早上 7:00 发出。",
        "Texts due in these hours are sent at 07:00.",
    ),
    ("nsms_save", "保存设置", "Save settings"),
    ("nsms_saved", "通知设置已保存。", "Notice settings saved."),
    (
        "err_sms",
        "请选择列出的通知类型",
        "Choose from the listed notice kinds",
    ),
    // My account (我的账号): change password, my data, close the account.
    ("account_title", "账号管理", "Manage my account"),
    (
        "account_link",
        "账号管理：修改密码 · 我的数据 · 注销账号",
        "Manage my account: password · my data · closing",
    ),
    ("account_back", "返回“我的”", "Back to Me"),
    ("account_password_title", "修改密码", "Change password"),
    ("account_current_password", "当前密码", "Current password"),
    ("account_new_password", "新密码", "New password"),
    (
        "account_new_password_hint",
        "至少8位，不能全是数字。修改后，其他设备上的登录会退出。",
        "8 characters or more, not only digits. Other devices are signed out afterwards.",
    ),
    ("account_password_submit", "修改密码", "Change password"),
    (
        "account_password_done",
        "密码已修改，其他设备上的登录已退出。",
        "Password changed; every other device has been signed out.",
    ),
    (
        "account_password_wrong",
        "密码不正确。",
        "The password is wrong.",
    ),
    (
        "account_password_required",
        "请输入密码。",
        "Enter your password.",
    ),
    (
        "err_current_password",
        "请输入当前密码。",
        "Enter your current password.",
    ),
    ("account_data_title", "我的数据", "My data"),
    (
        "account_data_intro",
        "下载平台保存的关于您的全部信息（JSON 文件）：账号、实名信息（完整号码）、服务记录、报名、组织、消息和发布的需求。请妥善保管。",
        "Download everything the platform holds on you (a JSON file): account, real-name details (whole numbers), service records, sign-ups, organisations, notices and needs you posted. Keep it safe.",
    ),
    ("account_data_download", "下载我的数据", "Download my data"),
    (
        "account_data_done",
        "已下载我的数据。",
        "Your data has been downloaded.",
    ),
    ("account_close_title", "注销账号", "Close my account"),
    (
        "account_close_warning",
        "注销后无法恢复，您将立即退出所有设备。",
        "Closing cannot be undone; you are signed out on every device at once.",
    ),
    ("account_close_deleted_title", "将删除：", "Deleted:"),
    (
        "account_close_deleted_1",
        "昵称、手机号码、密码和消息。",
        "Display name, phone number, password and notices.",
    ),
    (
        "account_close_deleted_2",
        "姓名、身份证号码、监护人信息和技能；出生日期只保留年份。",
        "Name, ID number, guardian details and skills; only the year of birth is kept.",
    ),
    (
        "account_close_deleted_3",
        "尚未开始的报名将被取消，名额让给候补的志愿者。",
        "Sign-ups for shifts not yet started are withdrawn; places pass to the waitlist.",
    ),
    (
        "account_close_kept_title",
        "将保留（不含个人身份信息）：",
        "Kept (without anything that identifies you):",
    ),
    (
        "account_close_kept_1",
        "已有的志愿服务记录和时长，按规定保存，显示为“已注销志愿者”。",
        "Your past service records and hours, kept as the rules require, shown as “已注销志愿者” (closed account).",
    ),
    (
        "account_close_kept_2",
        "统计所需的地区、性别、出生年份和群体。",
        "The region, gender, year of birth and groups that statistics count.",
    ),
    (
        "account_close_again",
        "注销后可以用同一手机号码和身份证号码重新注册，但过去的时长不会转入新账号。建议先下载我的数据。",
        "You may register again later with the same phone and ID number, but past hours do not move to the new account. Download your data first.",
    ),
    (
        "account_close_deleted_4",
        "日历订阅地址、短信通知设置和未发出的通知短信、身份证申诉的照片和理由（未处理的申诉将撤回）。",
        "Your calendar feed address, SMS notice settings and unsent notice texts, and your identity appeals' photos and reasons (a pending appeal is withdrawn).",
    ),
    ("account_close_start", "注销账号…", "Close my account…"),
    ("account_close_how", "验证方式", "How to confirm it is you"),
    (
        "account_close_by_password",
        "用密码验证",
        "With my password",
    ),
    (
        "account_close_by_code",
        "用短信验证码验证",
        "With an SMS code",
    ),
    (
        "account_close_code_to",
        "验证码将发送到您账号的手机 {phone}。",
        "The code goes to your account's phone, {phone}.",
    ),
    (
        "account_close_understood",
        "我已了解：注销后无法恢复。",
        "I understand that closing cannot be undone.",
    ),
    (
        "account_close_tick",
        "请先确认您已了解注销的后果。",
        "Confirm first that you understand what closing does.",
    ),
    (
        "account_close_password",
        "密码（再次确认身份）",
        "Password (to confirm it is you)",
    ),
    (
        "account_close_submit",
        "确认注销",
        "Close my account for good",
    ),
    ("account_close_cancel", "不注销了", "Keep my account"),
    (
        "account_closed_notice",
        "您的账号已注销，个人信息已删除。感谢您参与志愿服务！",
        "Your account is closed and your personal data deleted. Thank you for volunteering!",
    ),
    // Identity appeals (身份证被占用申诉).
    (
        "appeal_link",
        "身份证被占用？提出申诉",
        "ID number already taken? File an appeal",
    ),
    (
        "appeal_title",
        "身份证被占用申诉",
        "ID number already taken: appeal",
    ),
    (
        "appeal_intro",
        "如果您的身份证号已被他人注册为志愿者，请上传身份证照片并说明情况。身份证号所属地区的管理员核实后，志愿者身份（编号、时长、服务记录）将转到您的账号。",
        "If someone else registered your ID number as a volunteer, upload a photo of your ID card and explain. Once the admin of the ID number's region has checked it, the volunteer identity (number, hours, service records) moves to your account.",
    ),
    (
        "appeal_already_volunteer",
        "您的账号已是实名志愿者，无需申诉。",
        "Your account is a registered volunteer already; no appeal is needed.",
    ),
    ("appeal_mine", "我的申诉", "My appeals"),
    ("appeal_status_pending", "待审核", "Pending"),
    ("appeal_status_approved", "已通过", "Approved"),
    ("appeal_status_refused", "未通过", "Refused"),
    ("appeal_status_withdrawn", "已撤回", "Withdrawn"),
    ("appeal_moved_hours", "已转入时长", "Hours moved to you:"),
    ("appeal_photo", "身份证照片", "Photo of the ID card"),
    (
        "appeal_photo_hint",
        "人像面清晰可辨，jpg、png、webp 或 heic，不超过 10 MB。",
        "Photo side clearly readable; jpg, png, webp or heic, up to 10 MB.",
    ),
    ("appeal_reason", "申诉理由", "Reason for the appeal"),
    (
        "appeal_reason_hint",
        "说明您从未注册过，或该号码如何被他人使用（最多 500 字）。",
        "Say that you never registered, or how someone else came to use the number (up to 500 characters).",
    ),
    (
        "appeal_consent",
        "我已阅读并同意个人信息处理告知；申诉通过后我将成为该实名志愿者。",
        "I have read and agree to the personal-information notice; if the appeal is approved I become this registered volunteer.",
    ),
    ("appeal_submit", "提交申诉", "File the appeal"),
    (
        "appeal_filed",
        "申诉已提交。管理员审核后，结果会通过站内通知告诉您。身份证号：",
        "Appeal filed. When an admin has decided, a notice tells you the result. ID number:",
    ),
    (
        "err_photo_id",
        "请选择一张清晰的身份证照片。",
        "Choose a clear photo of the ID card.",
    ),
    (
        "err_id_number",
        "身份证号不正确，或未被任何志愿者注册。",
        "The ID number is wrong, or no volunteer holds it.",
    ),
    ("appeal_queue", "身份证被占用申诉", "ID number appeals"),
    (
        "appeal_queue_empty",
        "没有待审核的申诉。",
        "No appeals waiting.",
    ),
    ("appeal_appellant_phone", "申诉人手机", "Appellant's phone"),
    (
        "appeal_holder_phone",
        "现账号持有人手机",
        "Current holder's phone",
    ),
    ("appeal_filed_at", "提交时间", "Filed"),
    (
        "appeal_decision_reason",
        "审核意见（不通过时必填）",
        "Decision note (required to refuse)",
    ),
    (
        "appeal_approve",
        "通过：转移志愿者身份",
        "Approve: move the identity",
    ),
    ("appeal_refuse", "不通过", "Refuse"),
    (
        "appeal_refuse_needs_reason",
        "不通过时请填写原因，申诉人会看到。",
        "Give a reason to refuse; the appellant will see it.",
    ),
    (
        "audit_identity_moved",
        "身份申诉转移",
        "Moved by an identity appeal",
    ),
    (
        "notice_identity_appeal_approved",
        "您的身份证申诉已通过，志愿者编号 {subject} 及其时长和服务记录已转到您的账号。",
        "Your ID appeal was approved: volunteer number {subject}, its hours and records are now on your account.",
    ),
    (
        "notice_identity_appeal_refused",
        "您对身份证号 {subject} 的申诉未通过。",
        "Your appeal for ID number {subject} was refused.",
    ),
    (
        "notice_identity_moved_away",
        "经管理员核实身份证申诉，志愿者编号 {subject} 已转给身份证的本人，您的账号保留为普通账号。",
        "After an ID appeal was checked, volunteer number {subject} moved to the ID card's owner; your account stays as a plain account.",
    ),
    (
        "code_appeal_pending",
        "您对该身份证号已有待审核的申诉。",
        "You already have a pending appeal for this ID number.",
    ),
    (
        "code_already_decided",
        "该申诉已被审核。",
        "This appeal has been decided already.",
    ),
    (
        "code_holder_changed",
        "该身份证号已不在申诉所指的账号上，请不通过此申诉。",
        "The ID number is no longer on the account this appeal names; refuse it.",
    ),
    (
        "code_too_many_records",
        "该身份的服务记录过多，无法一次转移，请联系平台运营方。",
        "This identity has too many records to move at once; contact the platform operator.",
    ),
    // SMS notice settings for the identity-appeal notices.
    (
        "nsms_identity_appeal_approved",
        "身份证被占用申诉通过",
        "My identity appeal is approved",
    ),
    (
        "nsms_identity_appeal_refused",
        "身份证被占用申诉未通过",
        "My identity appeal is refused",
    ),
    (
        "nsms_identity_moved_away",
        "我的志愿者身份被转给身份证本人",
        "My volunteer identity moved to the ID card's owner",
    ),
    // Screens reviewed as a person sees them.
    ("back_to_login", "返回登录", "Back to sign-in"),
    // Needs privacy and withdrawal; business rules on hours and places.
    ("need_withdrawn", "已撤回", "Withdrawn"),
    (
        "need_withdrawn_note",
        "发布人已撤回这项需求，它不再对外显示。",
        "The poster withdrew this need; it is no longer shown to others.",
    ),
    ("need_withdraw", "撤回需求", "Withdraw this need"),
    (
        "need_withdraw_ask",
        "确定撤回吗？撤回后组织将无法再认领。",
        "Withdraw it? Organisations will no longer be able to take it on.",
    ),
    ("need_withdraw_yes", "确认撤回", "Yes, withdraw"),
    ("need_withdraw_no", "暂不撤回", "Keep it"),
    ("need_area", "所在区域", "Area"),
    (
        "need_area_approx",
        "位置约 1 公里范围",
        "place shown to about 1 km",
    ),
    (
        "need_place_private",
        "为保护求助群众，详细地址只对发布人、认领组织和所在地管理员显示。",
        "To protect the people asking, the exact address is shown only to the poster, the organisation that takes it on and the region's admins.",
    ),
    ("need_posted_at", "发布时间", "Posted"),
    (
        "code_not_poster",
        "只有发布人可以撤回这项需求。",
        "Only the poster may withdraw this need.",
    ),
    (
        "code_need_withdrawn",
        "发布人已撤回这项需求。",
        "The poster has withdrawn this need.",
    ),
    (
        "code_own_record",
        "不能确认、补录或更正自己的服务时长，请由本组织其他组织者处理。",
        "You cannot confirm, enter or correct your own hours; another organizer of the organisation must.",
    ),
    (
        "code_outside_org_region",
        "活动地点须在本组织所属旗区范围内。",
        "The activity must take place within the organisation's own region.",
    ),
    (
        "records_skipped_own",
        "其中 {n} 条是您本人的记录，已跳过，须由其他组织者确认。",
        " {n} record(s) of your own were skipped: another organizer must confirm them.",
    ),
    // The personal-data trail (我的账号 and the admin page).
    (
        "pdv_title_mine",
        "谁看过我的个人信息",
        "Who saw my personal data",
    ),
    (
        "pdv_intro_mine",
        "每次显示您完整的手机号、身份证号，或下载含有它们的文件，都记录在这里，保留 180 天。",
        "Each time your whole phone or ID number was shown, or a file holding them was downloaded, it is recorded here and kept for 180 days.",
    ),
    (
        "pdv_title_region",
        "个人信息查看记录",
        "Personal data views",
    ),
    (
        "pdv_intro_region",
        "本辖区志愿者的完整手机号、身份证号被谁查看或下载，保留 180 天。",
        "Who was shown or downloaded the whole phone or ID numbers of this region's volunteers, kept for 180 days.",
    ),
    ("pdv_empty", "还没有记录。", "Nothing recorded yet."),
    ("pdv_access_reveal", "查看完整号码", "Whole numbers shown"),
    (
        "pdv_access_export",
        "本人下载个人数据",
        "Their own data downloaded",
    ),
    (
        "pdv_access_transfer_export",
        "下载服务记录转移文件",
        "Hours transfer file downloaded",
    ),
    ("pdv_actor", "查看人", "Seen by"),
    ("pdv_subject", "信息主体", "Whose data"),
    ("pdv_self", "本人", "The person themselves"),
    // Sessions: an admin's second factor and idle-out, the re-check dialog.
    (
        "login_second_step",
        "管理员账号需要第二步验证：验证码已发送到您的手机，请输入验证码。",
        "Administrator accounts need a second step: a code has been sent to your phone; enter it below.",
    ),
    (
        "login_second_back",
        "返回修改密码或手机号",
        "Back to the phone number and password",
    ),
    (
        "login_ended_idle",
        "为保护账号安全，管理员登录30分钟内无操作已自动退出。请重新登录，之后将回到您刚才的页面。",
        "For safety, an administrator is signed out after 30 minutes without activity. Sign in again to return to the page you were on.",
    ),
    (
        "code_second_factor_required",
        "请输入发送到您手机的验证码。",
        "Enter the code sent to your phone.",
    ),
    (
        "code_password_required",
        "管理员请使用密码登录，然后输入短信验证码。",
        "Administrators sign in with the password, then a text code.",
    ),
    (
        "code_recheck_required",
        "需要再次验证身份（输入密码或短信验证码）后才能继续。",
        "Confirm it is you (password or text code) to continue.",
    ),
    ("recheck_title", "再次验证身份", "Confirm it is you"),
    (
        "recheck_intro",
        "查看完整证件号码或下载个人数据前，请输入登录密码或短信验证码。验证后5分钟内有效。",
        "Before the whole ID number is shown or your data is downloaded, enter your password or a text code. It stays valid for 5 minutes.",
    ),
    ("recheck_how", "验证方式", "How to confirm"),
    ("recheck_by_code", "短信验证码", "Text code"),
    ("recheck_submit", "验证并继续", "Confirm and continue"),
    ("recheck_cancel", "取消", "Cancel"),
    (
        "recheck_wrong_password",
        "密码不正确。",
        "The password is wrong.",
    ),
    // Editing an activity.
    ("edit_activity", "编辑活动", "Edit activity"),
    ("edit", "编辑", "Edit"),
    ("save_changes", "保存修改", "Save changes"),
    (
        "edit_explained",
        "可修改标题、简介、要求，以及尚未开始的班次的时间和名额。已报名的志愿者会收到通知。",
        "You can change the title, description, requirements, and the times and places of shifts that have not started. Everyone signed up is told.",
    ),
    (
        "shift_started_locked",
        "已开始，不能修改",
        "Started: cannot be changed",
    ),
    (
        "overlaps_heading",
        "新时间与以下志愿者已报名的其他班次冲突：",
        "The new times overlap other shifts these volunteers signed up for:",
    ),
    ("overlap_with", "冲突", "overlaps"),
    ("save_anyway", "仍然保存", "Save anyway"),
    (
        "code_places_below_signups",
        "名额不能少于已确认报名的人数。",
        "Places cannot go below the confirmed sign-ups.",
    ),
    (
        "code_activity_changed",
        "活动刚被他人修改，请刷新后重试。",
        "Someone else changed the activity meanwhile; reload and try again.",
    ),
    (
        "notice_activity_changed",
        "您报名的「{subject}」有变更，现于{time}开始，请查看详情。",
        "“{subject}”, which you signed up for, has changed; it now starts {time}.",
    ),
    (
        "nsms_activity_changed",
        "报名的活动有变更",
        "An activity I signed up for changed",
    ),
    // Seen in this session's screenshot review.
    ("recheck_by_password", "登录密码", "Password"),
    (
        "need_address_hint",
        "详细地址只有您本人、认领的组织和所在地区的文明办能看到；其他人只看到约 1 公里范围。",
        "Only you, the organisation that takes the need and the region's office see the address; others see an area of about 1 km.",
    ),
    (
        "need_description_hint",
        "简介对所有人公开：请不要写门牌号、姓名或电话。",
        "The description is public: leave out house numbers, names and phone numbers.",
    ),
    // Dispatch (派单 → 接单), issue 16.
    ("need_dispatched", "已派单", "Dispatched"),
    ("need_step_open", "待派单", "Waiting"),
    ("need_step_dispatched", "已派单", "Dispatched"),
    ("need_step_claimed", "已接单", "Taken on"),
    ("need_step_done", "已完成", "Done"),
    ("dispatch_queue_title", "派单", "Dispatch needs"),
    (
        "dispatch_queue_intro",
        "本地区待派单的群众需求：可留给组织认领，也可派给一个已审核的组织并规定答复期限。",
        "Open needs of your region: leave one for any organisation to claim, or dispatch it to an approved organisation with a deadline to answer.",
    ),
    (
        "dispatch_not_allowed",
        "只有地区文明办管理员或站点负责人可以派单。",
        "Only a region admin or a station manager can dispatch needs.",
    ),
    (
        "dispatch_queue_empty",
        "没有待派单的需求。",
        "No open needs.",
    ),
    ("dispatch_action", "派单", "Dispatch"),
    ("dispatch_org", "派给组织", "Dispatch to"),
    (
        "dispatch_no_orgs",
        "没有覆盖该地区的已审核组织。",
        "No approved organisation covers this region.",
    ),
    ("dispatch_answer_by", "答复期限", "Answer by"),
    (
        "dispatch_answer_by_hint",
        "1 小时后至 14 天内；逾期未答复的需求自动回到待派单。",
        "From 1 hour to 14 days ahead; a need not answered by then returns to the queue.",
    ),
    ("dispatch_submit", "确认派单", "Dispatch"),
    (
        "err_answer_by",
        "请选择 1 小时后至 14 天内的答复期限。",
        "Choose a deadline from 1 hour to 14 days ahead.",
    ),
    (
        "dispatched_title",
        "派给我们的需求",
        "Needs dispatched to us",
    ),
    (
        "dispatched_intro",
        "文明办或站点派给本组织的需求：请在期限前接单，或说明原因拒绝。",
        "Needs a region office or station dispatched to your organisation: take each on before its deadline, or decline with a reason.",
    ),
    (
        "dispatched_none",
        "暂无派给本组织的需求。",
        "Nothing is awaiting your answer.",
    ),
    ("dispatched_to_org", "派给", "Dispatched to"),
    ("dispatched_accept", "接单", "Take on"),
    ("dispatched_decline", "拒绝", "Decline"),
    (
        "dispatched_decline_intro",
        "拒绝后需求回到待派单，由文明办另行派单。请说明原因。",
        "Declined, the need returns to the queue for the office to dispatch again. Say why.",
    ),
    ("dispatched_decline_reason", "拒绝原因", "Reason"),
    ("dispatched_decline_cancel", "取消", "Cancel"),
    (
        "dispatched_answer_here",
        "去接单或拒绝",
        "Answer this dispatch",
    ),
    (
        "notice_need_dispatched",
        "您发布的需求「{subject}」已派给组织，等待接单。",
        "Your need “{subject}” was dispatched to an organisation, awaiting its answer.",
    ),
    (
        "notice_need_dispatched_to_org",
        "需求「{subject}」已派给贵组织，请于{time}前接单或拒绝。",
        "The need “{subject}” was dispatched to your organisation: answer by {time}.",
    ),
    (
        "notice_need_accepted",
        "您发布的需求「{subject}」已有组织接单。",
        "An organisation took on your need “{subject}”.",
    ),
    (
        "notice_need_returned",
        "您发布的需求「{subject}」暂未有组织接单，已回到待派单。",
        "Your need “{subject}” was not taken on and is back in the queue.",
    ),
    ("nsms_need_dispatched", "需求已派单", "Need dispatched"),
    (
        "nsms_need_dispatched_to_org",
        "有需求派给我的组织",
        "A need dispatched to my organisation",
    ),
    ("nsms_need_accepted", "需求已接单", "Need taken on"),
    (
        "nsms_need_returned",
        "需求回到待派单",
        "Need back in the queue",
    ),
    // Regular activities (常态化): the repeat rule, 本次 / 以后全部, the station schedule.
    ("repeat", "重复", "Repeat"),
    (
        "repeat_hint",
        "常态化活动：按规则生成多次活动，每次的班次与上面相同，从第一个班次的日期开始。先发布 8 周内的，其余到时自动发布。",
        "A regular activity: one activity per date, each with the shifts above, from the first shift's date. The next 8 weeks are published now, the rest as they come near.",
    ),
    ("repeat_none", "不重复", "Does not repeat"),
    ("repeat_weekly", "每周", "Weekly"),
    ("repeat_monthly", "每月", "Monthly"),
    ("repeat_weekdays", "星期", "Weekdays"),
    ("repeat_day", "每月几号", "Day of the month"),
    ("repeat_day_hint", "1–28 号", "1 to 28"),
    ("repeat_count", "共几次", "How many times"),
    ("repeat_count_hint", "1–26 次", "1 to 26"),
    (
        "err_repeat_freq",
        "请选择重复方式。",
        "Choose how it repeats.",
    ),
    (
        "err_repeat_weekdays",
        "请至少选择一天（周一至周日）。",
        "Choose at least one weekday (Monday to Sunday).",
    ),
    (
        "err_repeat_day",
        "请填写 1–28 号中的一天。",
        "Give a day from 1 to 28.",
    ),
    (
        "err_repeat_count",
        "次数须为 1–26。",
        "The number of times must be 1 to 26.",
    ),
    ("weekday_1", "周一", "Monday"),
    ("weekday_2", "周二", "Tuesday"),
    ("weekday_3", "周三", "Wednesday"),
    ("weekday_4", "周四", "Thursday"),
    ("weekday_5", "周五", "Friday"),
    ("weekday_6", "周六", "Saturday"),
    ("weekday_7", "周日", "Sunday"),
    ("schedule_every", "每", "Every "),
    ("schedule_monthly", "每月{day}日", "Monthly on day {day}"),
    ("regular_schedule", "常态化活动", "Regular activities"),
    ("regular_activity", "常态化活动", "Regular activity"),
    ("series_occurrence", "第 {n} 次", "Occurrence {n}"),
    ("series_edit_scope", "修改哪几次", "Which to change"),
    ("series_cancel_scope", "取消哪几次", "Which to cancel"),
    ("series_this_one", "本次", "This one only"),
    (
        "series_this_and_later",
        "以后全部（本次及以后各次）",
        "This one and all later ones",
    ),
    (
        "code_not_in_series",
        "这不是常态化活动中的一次。",
        "This activity is not part of a regular series.",
    ),
    // Rating needs (评单, issue 16).
    ("rating_heading", "服务评价", "Rating"),
    (
        "rating_none",
        "居民尚未评价。",
        "The resident has not rated it yet.",
    ),
    (
        "rating_stars",
        "满意程度（必选）",
        "How satisfied are you? (required)",
    ),
    (
        "rating_star_1",
        "1 星 · 很不满意",
        "1 star · very unsatisfied",
    ),
    ("rating_star_2", "2 星 · 不满意", "2 stars · unsatisfied"),
    ("rating_star_3", "3 星 · 一般", "3 stars · neither"),
    ("rating_star_4", "4 星 · 满意", "4 stars · satisfied"),
    (
        "rating_star_5",
        "5 星 · 非常满意",
        "5 stars · very satisfied",
    ),
    ("rating_n_stars", "{n} 星（满分 5 星）", "{n} of 5 stars"),
    ("rating_comment", "评价内容（选填）", "Comment (optional)"),
    (
        "rating_comment_hint",
        "最多 300 字，会在组织主页公开显示（您的名字会隐去）。",
        "Up to 300 characters, shown on the organisation's page (your name is masked).",
    ),
    ("rating_submit", "提交评价", "Submit rating"),
    ("rating_reply", "回复评价", "Reply"),
    (
        "rating_reply_hint",
        "只能回复一次，最多 300 字。",
        "You can reply once, up to 300 characters.",
    ),
    ("rating_reply_submit", "提交回复", "Send reply"),
    ("rating_reply_from", "组织回复 ·", "Reply from"),
    ("err_stars", "请选择 1 到 5 星", "Choose 1 to 5 stars"),
    (
        "err_comment",
        "评价内容最多 300 字",
        "The comment is at most 300 characters",
    ),
    (
        "err_text",
        "请填写回复内容（最多 300 字）",
        "Write the reply (at most 300 characters)",
    ),
    ("org_ratings", "服务评价", "Ratings"),
    ("org_ratings_none", "暂无评价。", "No ratings yet."),
    (
        "org_ratings_average",
        "平均 {average} 星，共 {count} 条评价",
        "{average} stars on average, {count} ratings",
    ),
    (
        "code_need_not_done",
        "需求完成后才能评价。",
        "A need can be rated once it is done.",
    ),
    (
        "code_already_rated",
        "这条需求已经评价过了。",
        "This need has been rated already.",
    ),
    (
        "code_already_replied",
        "这条评价已经回复过了。",
        "This rating has a reply already.",
    ),
    (
        "notice_need_rated",
        "您的组织服务的需求「{subject}」收到了新的评价。",
        "A need your organisation served, “{subject}”, has a new rating.",
    ),
    (
        "nsms_need_rated",
        "组织服务的需求收到评价",
        "A need my organisation served was rated",
    ),
    ("stats_ratings", "评价数", "ratings"),
    ("stats_satisfaction", "满意率 %", "satisfied %"),
    (
        "stats_satisfaction_line",
        "满意率（4 星及以上）",
        "Satisfied (4 stars or more)",
    ),
    // Hours with evidence (补录), issue 16.
    ("archive_kind_evidence", "补录证明", "Evidence for hours"),
    (
        "audit_backfill",
        "补录（凭证明）",
        "Hours with evidence (补录)",
    ),
    ("backfill_badge", "补录", "Backfilled"),
    (
        "backfill_title",
        "补录服务时长",
        "Hours with evidence (补录)",
    ),
    (
        "backfill_intro",
        "参加了本组织的活动但没有在应用里签到（比如村里用纸质签到表）？可以在 {days} 天内凭照片或签到表申请补录，组织审核通过后计入您的服务时长。",
        "Served at one of your organisation's activities without checking in here (a paper sign-in sheet, say)? Within {days} days, apply with a photo or the sheet; once an organizer approves, the hours count.",
    ),
    (
        "backfill_volunteers_only",
        "完成实名注册成为志愿者后才能申请补录。",
        "Complete real-name registration as a volunteer to apply.",
    ),
    ("backfill_apply", "申请补录", "Apply for hours"),
    ("backfill_org", "组织", "Organisation"),
    (
        "backfill_choose_org",
        "请选择您加入的组织",
        "Choose one of your organisations",
    ),
    ("backfill_activity", "活动", "Activity"),
    (
        "backfill_choose_activity",
        "请选择活动",
        "Choose the activity",
    ),
    ("backfill_shift", "班次", "Shift"),
    (
        "backfill_choose_shift",
        "请选择已结束的班次",
        "Choose the shift (ended)",
    ),
    ("backfill_from", "开始时间", "Started at"),
    ("backfill_to", "结束时间", "Ended at"),
    ("backfill_times", "服务时间", "Service time"),
    ("backfill_hours", "计入时长", "Hours counted"),
    ("backfill_content", "服务内容", "What you did"),
    (
        "backfill_content_hint",
        "写清楚做了什么、和谁一起，便于组织核实。",
        "Say what you did and with whom, so the organizers can check.",
    ),
    ("backfill_evidence", "证明材料", "Evidence"),
    (
        "backfill_evidence_hint",
        "上传现场照片或纸质签到表（图片或 PDF），至少一份，最多五份。",
        "Upload a photo or the paper sign-in sheet (image or PDF): at least one, at most five.",
    ),
    (
        "backfill_evidence_full",
        "最多上传五份证明材料。",
        "At most five files.",
    ),
    ("backfill_submit", "提交申请", "Send the application"),
    (
        "backfill_sent",
        "申请已提交，等待组织审核。",
        "Sent: the organizers will review it.",
    ),
    (
        "backfill_err_from",
        "开始时间有误",
        "The start time is wrong",
    ),
    ("backfill_err_to", "结束时间有误", "The end time is wrong"),
    ("backfill_err_content", "请填写服务内容", "Say what you did"),
    ("backfill_err_evidence", "请上传证明材料", "Add evidence"),
    ("backfill_err_shift_id", "请选择班次", "Choose the shift"),
    ("backfill_mine", "我的补录申请", "My applications"),
    ("backfill_none", "还没有补录申请。", "No applications yet."),
    ("backfill_status_pending", "待审核", "Waiting for review"),
    ("backfill_status_approved", "已通过", "Approved"),
    ("backfill_status_refused", "未通过", "Refused"),
    (
        "backfill_review_title",
        "补录审核",
        "Hours to review (补录)",
    ),
    (
        "backfill_review_intro",
        "成员申请补录的服务时长。请核对证明材料：通过后记录直接确认并标注“补录”；不通过请写明原因。",
        "Hours members applied for. Check the evidence: approving confirms the record, marked 补录; refusing needs a reason.",
    ),
    (
        "backfill_queue_empty",
        "没有待审核的补录申请。",
        "Nothing waiting for review.",
    ),
    ("backfill_applied_at", "申请于", "Applied"),
    ("backfill_approve", "通过", "Approve"),
    ("backfill_refuse", "不通过", "Refuse"),
    (
        "backfill_refuse_title",
        "不通过这份补录申请",
        "Refuse this application",
    ),
    (
        "backfill_reason",
        "原因（会告知申请人）",
        "Reason (the applicant is told)",
    ),
    (
        "backfill_reason_required",
        "请写明不通过的原因。",
        "Give the reason.",
    ),
    (
        "backfill_approved_msg",
        "已通过 {name} 的补录申请。",
        "Approved {name}'s application.",
    ),
    (
        "backfill_refused_msg",
        "已拒绝该补录申请。",
        "The application was refused.",
    ),
    (
        "backfill_back_to_org",
        "返回组织页面",
        "Back to the organisation",
    ),
    (
        "notice_backfill_applied",
        "有成员申请补录「{subject}」（{time}）的服务时长，请审核。",
        "A member applied for hours of “{subject}” ({time}): please review.",
    ),
    (
        "notice_backfill_approved",
        "您补录「{subject}」（{time}）的服务时长已通过，已计入记录。",
        "Your hours for “{subject}” ({time}) were approved and count now.",
    ),
    (
        "notice_backfill_refused",
        "您补录「{subject}」（{time}）的服务时长未通过。",
        "Your hours for “{subject}” ({time}) were refused.",
    ),
    (
        "nsms_backfill_applied",
        "有成员申请补录（组织者）",
        "A member applied for hours (organizers)",
    ),
    (
        "nsms_backfill_approved",
        "我的补录申请通过",
        "My hours application was approved",
    ),
    (
        "nsms_backfill_refused",
        "我的补录申请未通过",
        "My hours application was refused",
    ),
    // Assisted registration (代注册) and its takeover (issue 16).
    ("assisted_title", "代注册", "Register a resident"),
    (
        "assisted_not_allowed",
        "只有站点管理员和已通过审核的组织的管理员可以代注册。",
        "Only station managers and organizers of approved organisations can register residents.",
    ),
    (
        "assisted_intro",
        "为没有智能手机的老年居民注册实名志愿者账户。您只帮忙注册，不持有该账户。",
        "Register an older resident who has no smartphone as a real-name volunteer. You only help register; the account is not yours.",
    ),
    ("assisted_display_name", "称呼", "How to address them"),
    (
        "assisted_display_name_hint",
        "例如：王奶奶。",
        "For example: Granny Wang.",
    ),
    (
        "assisted_phone_legend",
        "居民的手机",
        "The resident's phone",
    ),
    (
        "assisted_with_phone",
        "有手机，能收短信验证码",
        "Has a phone that receives text messages",
    ),
    (
        "assisted_without_phone",
        "没有手机（签纸质同意书）",
        "No phone (signs a paper consent form)",
    ),
    (
        "assisted_paper_consent",
        "居民已在纸质同意书上签字",
        "The resident signed the paper consent form",
    ),
    (
        "assisted_consent_note",
        "同意书编号或存放处",
        "Consent form number or where it is kept",
    ),
    (
        "assisted_consent_note_hint",
        "例如：东胜区某站 2026 年第 12 号。",
        "For example: station file 2026 no. 12.",
    ),
    ("assisted_phone", "居民手机号", "Resident's phone number"),
    (
        "assisted_code",
        "居民读出的验证码",
        "Code the resident reads out",
    ),
    (
        "assisted_code_hint",
        "点“获取验证码”后，请居民把手机短信里的 6 位数字读给您。",
        "After “Get code”, ask the resident to read you the 6 digits in the text message.",
    ),
    (
        "assisted_consent",
        "我已向居民读过个人信息告知，居民同意注册",
        "I read the personal-information notice to the resident, who agrees to register",
    ),
    ("assisted_submit", "代为注册", "Register the resident"),
    ("assisted_done_title", "注册成功", "Registered"),
    ("assisted_no_phone", "无", "None"),
    (
        "assisted_next_title",
        "居民接下来可以：",
        "What the resident can do next:",
    ),
    (
        "assisted_next_takeover",
        "在登录页点“接管代注册账户”，用手机收到的验证码设置自己的密码，账户从此只归本人。",
        "On the sign-in page, choose “Take over an account registered for me” and set their own password with a code sent to the phone; the account is then theirs alone.",
    ),
    (
        "assisted_next_code_login",
        "在站点用手机验证码登录，报名参加活动。",
        "Sign in at the station with a code sent to the phone and sign up for activities.",
    ),
    (
        "assisted_next_helper",
        "您不会收到该账户的密码，也不能登录该账户。",
        "You receive no password and cannot sign in to the account.",
    ),
    (
        "assisted_next_no_phone",
        "该账户没有手机号，暂时不能登录；实名志愿者身份已登记。",
        "The account has no phone and cannot be signed in to yet; the real-name volunteer record is registered.",
    ),
    (
        "assisted_next_keep_paper",
        "请按备注妥善保存居民签字的纸质同意书。",
        "Keep the signed paper consent form where the note says.",
    ),
    (
        "assisted_another",
        "再注册一位",
        "Register another resident",
    ),
    (
        "err_assisted_adult",
        "代注册只适用于成年人；未成年人请由监护人陪同自行注册。",
        "Assisted registration is for adults; a minor registers with a guardian.",
    ),
    (
        "err_paper_consent",
        "没有手机时，需要居民在纸质同意书上签字。",
        "Without a phone, the resident must sign the paper consent form.",
    ),
    (
        "err_consent_note",
        "请填写同意书编号或存放处（200 字以内）。",
        "Enter the consent form's number or where it is kept (up to 200 characters).",
    ),
    (
        "takeover_link",
        "接管代注册账户",
        "Take over an account registered for me",
    ),
    (
        "assisted_me_hint",
        "此账户由工作人员代为注册，您还没有设置自己的密码。",
        "A helper registered this account for you; you have not set your own password yet.",
    ),
    (
        "takeover_title",
        "接管代注册账户",
        "Take over an account registered for me",
    ),
    (
        "takeover_explained",
        "工作人员帮您注册的账户：用您手机收到的验证码设置登录密码，账户从此只归您本人使用。",
        "An account a helper registered for you: set a password with a code sent to your phone, and the account is yours alone.",
    ),
    // Issue 16 follow-ups: the reply notice to a rater; the dispatch organisation search.
    (
        "notice_rating_replied",
        "您对需求「{subject}」的评价收到了组织的回复。",
        "The organisation replied to your rating of “{subject}”.",
    ),
    (
        "nsms_rating_replied",
        "我的评价收到回复",
        "My rating got a reply",
    ),
    (
        "dispatch_org_search",
        "搜索组织名称",
        "Search organisations by name",
    ),
    (
        "dispatch_org_search_hint",
        "只列出服务范围覆盖该需求所在地区的已审核组织，本旗区的在前。",
        "Only approved organisations whose area covers the need's region, the nearest first.",
    ),
    (
        "dispatch_orgs_found",
        "找到 {count} 个组织，请选择一个。",
        "{count} organisations found; choose one.",
    ),
    (
        "dispatch_no_orgs_named",
        "没有名称含此内容、且覆盖该地区的已审核组织。",
        "No approved organisation covering this region has that in its name.",
    ),
    (
        "code_occurrences_refused",
        "有场次无法按此修改，所有场次均未改动：",
        "Some occurrences cannot take this edit; none was changed:",
    ),
];

/// The table the app looks keys up in: every string, or in the first screen's build only
/// the keys its sources name (below).
#[cfg(not(any(feature = "first-screen", feature = "public-pages")))]
static TABLE: &[(&str, &str, &str)] = STRINGS;
#[cfg(any(feature = "first-screen", feature = "public-pages"))]
static TABLE: &[(&str, &str, &str)] = &first_screen::TABLE;

/// The map entry point's table (`index.html`, built with the `first-screen` feature): the
/// keys named by the sources its pages reach (build.rs), and those built at run time from
/// an API error code. Filtered while compiling, so the other pages' strings never reach its
/// wasm. The other public pages' build (`public.html`, feature `public-pages`) filters it
/// the same way by its own list.
#[cfg(any(feature = "first-screen", feature = "public-pages"))]
mod first_screen {
    use super::STRINGS;
    #[cfg(feature = "first-screen")]
    include!(concat!(env!("OUT_DIR"), "/first_screen_keys.rs"));
    #[cfg(not(feature = "first-screen"))]
    include!(concat!(env!("OUT_DIR"), "/public_pages_keys.rs"));
    #[cfg(not(feature = "first-screen"))]
    const FIRST_SCREEN_KEYS: &[&str] = PUBLIC_PAGES_KEYS;
    // Prefixes of keys the entry's sources make at run time (`format!("err_{}", field)` in
    // `field_message`, `code_{code}` in `api::ApiError::message`…), found by build.rs.
    #[cfg(feature = "first-screen")]
    include!(concat!(env!("OUT_DIR"), "/first_screen_prefixes.rs"));
    #[cfg(not(feature = "first-screen"))]
    include!(concat!(env!("OUT_DIR"), "/public_pages_prefixes.rs"));
    #[cfg(not(feature = "first-screen"))]
    const FIRST_SCREEN_PREFIXES: &[&str] = PUBLIC_PAGES_PREFIXES;

    /// Keys made at run time: those build.rs found, and `error_` (every entry's).
    const fn made_at_run_time(key: &str) -> bool {
        if starts_with(key, "error_") {
            return true;
        }
        let mut i = 0;
        while i < FIRST_SCREEN_PREFIXES.len() {
            if starts_with(key, FIRST_SCREEN_PREFIXES[i]) {
                return true;
            }
            i += 1;
        }
        false
    }

    /// Byte order, as `str`'s `Ord` (and so build.rs's sorted list).
    const fn cmp(a: &str, b: &str) -> core::cmp::Ordering {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let mut i = 0;
        while i < a.len() && i < b.len() {
            if a[i] != b[i] {
                return if a[i] < b[i] {
                    core::cmp::Ordering::Less
                } else {
                    core::cmp::Ordering::Greater
                };
            }
            i += 1;
        }
        if a.len() == b.len() {
            core::cmp::Ordering::Equal
        } else if a.len() < b.len() {
            core::cmp::Ordering::Less
        } else {
            core::cmp::Ordering::Greater
        }
    }

    const fn starts_with(key: &str, prefix: &str) -> bool {
        let (k, p) = (key.as_bytes(), prefix.as_bytes());
        if k.len() < p.len() {
            return false;
        }
        let mut i = 0;
        while i < p.len() {
            if k[i] != p[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    const fn kept(key: &str) -> bool {
        if made_at_run_time(key) {
            return true;
        }
        let (mut lo, mut hi) = (0, FIRST_SCREEN_KEYS.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match cmp(FIRST_SCREEN_KEYS[mid], key) {
                core::cmp::Ordering::Equal => return true,
                core::cmp::Ordering::Less => lo = mid + 1,
                core::cmp::Ordering::Greater => hi = mid,
            }
        }
        false
    }

    const fn count() -> usize {
        let (mut i, mut n) = (0, 0);
        while i < STRINGS.len() {
            if kept(STRINGS[i].0) {
                n += 1;
            }
            i += 1;
        }
        n
    }

    const N: usize = count();

    pub(super) static TABLE: [(&str, &str, &str); N] = {
        let mut out = [("", "", ""); N];
        let (mut i, mut j) = (0, 0);
        while i < STRINGS.len() {
            if kept(STRINGS[i].0) {
                out[j] = STRINGS[i];
                j += 1;
            }
            i += 1;
        }
        out
    };
}

pub fn t(lang: Lang, key: &str) -> &'static str {
    match TABLE.iter().find(|(k, _, _)| *k == key) {
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

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh { zh } else { en }
}

pub fn field_label(lang: Lang, f: ServiceField) -> &'static str {
    use ServiceField as F;
    let (zh, en) = match f {
        F::Education => ("教育", "Education"),
        F::Science => ("科普", "Science"),
        F::FireSafety => ("消防安全", "Fire safety"),
        F::Charity => ("慈善", "Charity"),
        F::Law => ("法律", "Law"),
        F::Environment => ("生态环保", "Environment"),
        F::Traffic => ("交通", "Traffic"),
        F::CultureSports => ("文化体育", "Culture and sports"),
        F::MedicalHealth => ("医疗卫生", "Medical and health"),
        F::ElderlyCare => ("为老服务", "Elderly care"),
        F::ChildCare => ("关爱儿童", "Child care"),
        F::DisabilitySupport => ("助残", "Disability support"),
        F::EmergencyRescue => ("应急救援", "Emergency rescue"),
        F::OnlineCivility => ("网络文明", "Online civility"),
        F::CommunityService => ("社区服务", "Community service"),
    };
    pick(lang, zh, en)
}

pub fn group_label(lang: Lang, g: VolunteerGroup) -> &'static str {
    use VolunteerGroup as G;
    let (zh, en) = match g {
        G::PartyMember => ("党员", "Party member"),
        G::Cadre => ("干部/公务员", "Cadre / civil servant"),
        G::CollegeStudent => ("大学生", "College student"),
        G::SchoolStudent => ("中小学生", "School student"),
        G::Worker => ("职工", "Worker"),
        G::WomensTeam => ("巾帼", "Women's team"),
        G::Youth => ("青年", "Youth"),
    };
    pick(lang, zh, en)
}

pub fn org_type_label(lang: Lang, o: OrgType) -> &'static str {
    use OrgType as O;
    let (zh, en) = match o {
        O::Government => ("机关单位", "Government department"),
        O::Industry => ("行业系统", "Industry"),
        O::Community => ("社区", "Community"),
        O::Village => ("嘎查村", "Village"),
        O::School => ("学校", "School"),
        O::Professional => ("专业队伍", "Professional team"),
        O::Womens => ("巾帼", "Women's"),
        O::Youth => ("青年", "Youth"),
        O::Worker => ("职工", "Workers'"),
        O::PartyMember => ("党员", "Party members'"),
        O::CivilisedUnit => ("文明单位", "Civilised unit"),
    };
    pick(lang, zh, en)
}

pub fn role_label(lang: Lang, r: Role) -> &'static str {
    t(
        lang,
        match r {
            Role::Organizer => "role_organizer",
            Role::StationManager => "role_station_manager",
            Role::RegionAdmin => "role_region_admin",
        },
    )
}

/// The current language, from context.
pub fn use_lang() -> ReadSignal<Lang> {
    expect_context::<ReadSignal<Lang>>()
}

/// A reactive translation for views: `{tr("some_key")}` → the string in the current language.
pub fn tr(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

pub fn format_distance(lang: Lang, metres: u32) -> String {
    if metres < 1000 {
        format!("{metres} {}", t(lang, "m"))
    } else {
        // Tenths of a kilometre, rounded half up, in whole numbers: the map's wasm then
        // carries no float formatting (issue 18's first-load budget).
        let tenths = metres.saturating_add(50) / 100;
        format!("{}.{} {}", tenths / 10, tenths % 10, t(lang, "km"))
    }
}

pub fn target_label(lang: Lang, x: ServiceTarget) -> &'static str {
    use ServiceTarget as T;
    let (zh, en) = match x {
        T::EmptyNestElderly => ("空巢老人", "Empty-nest elderly"),
        T::LeftBehindChildren => ("留守儿童", "Left-behind children"),
        T::MigrantWorkers => ("农牧民工", "Migrant workers"),
        T::Disabled => ("残疾人", "People with disabilities"),
        T::NeedyWorkers => ("困难职工", "Workers in hardship"),
        T::Tourists => ("游客", "Tourists"),
        T::Residents => ("居民", "Residents"),
        T::Students => ("学生", "Students"),
    };
    pick(lang, zh, en)
}

/// Asserts that a plain script drawn before the wasm (map.js, the entry shells) carries
/// the app's own words for `keys`, in both languages, as quoted JS strings.
#[cfg(test)]
pub fn assert_script_speaks(script: &str, keys: &[&str]) {
    for lang in [Lang::Zh, Lang::En] {
        for key in keys {
            let words = t(lang, key);
            assert!(script.contains(&format!("'{words}'")), "{key}: {words}");
        }
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

    /// Every literal key the pages look up with `tr("…")` or `t(…, "…")` is in the table:
    /// a missing one would show an empty label.
    #[test]
    fn every_key_the_pages_use_is_translated() {
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).expect("read src").flatten() {
                let p = e.path();
                if p.is_dir() {
                    sources(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(std::fs::read_to_string(&p).expect("read file"));
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut missing = Vec::new();
        for text in &files {
            for opener in [
                "tr(\"",
                "t(lang, \"",
                "t(l, \"",
                "t(lang.get(), \"",
                "t(lang.get_untracked(), \"",
            ] {
                for part in text.split(opener).skip(1) {
                    let key: String = part.chars().take_while(|c| *c != '"').collect();
                    if !key.is_empty()
                        && key != "some_key"
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                        && !STRINGS.iter().any(|(k, _, _)| *k == key)
                    {
                        missing.push(key);
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    include!("../first_screen_sources.rs");

    include!("../public_pages_sources.rs");

    /// The sources (but `app.rs`, which builds every entry point, and those `left_out`)
    /// that use a module `left_out` names.
    fn sources_using(left_out_paths: &[&str]) -> Vec<String> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let module = |rel: &str| {
            rel.trim_end_matches('/')
                .trim_end_matches(".rs")
                .replace('/', "::")
        };
        let left_out: Vec<String> = left_out_paths.iter().map(|n| module(n)).collect();
        let mut stack = vec![src.clone()];
        let mut offending = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).expect("read src").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let rel = p
                    .strip_prefix(&src)
                    .expect("under src")
                    .to_string_lossy()
                    .replace('\\', "/");
                if !rel.ends_with(".rs")
                    || rel == "app.rs"
                    || left_out_paths.iter().any(|n| rel.starts_with(n))
                {
                    continue;
                }
                let text = std::fs::read_to_string(&p).expect("read file");
                // A sibling is reached as `super::x` from its own directory.
                let parent = module(&rel).rsplit_once("::").map(|(d, _)| d.to_string());
                for m in &left_out {
                    let sibling = parent
                        .as_deref()
                        .and_then(|d| m.strip_prefix(&format!("{d}::")));
                    let named = text.contains(&format!("{m}::"))
                        || text.contains(&format!("{m};"))
                        || sibling.is_some_and(|s| text.contains(&format!("super::{s}")));
                    if named {
                        offending.push(format!("{rel} uses {m}"));
                    }
                }
            }
        }
        offending
    }

    /// The first screen's string table (build.rs) leaves out the keys of the sources named
    /// in `NOT_FIRST_SCREEN`: so no other source (but `app.rs`, which builds every entry
    /// point) may use one of those modules, or a label on the map would come out empty.
    #[test]
    fn the_first_screen_uses_none_of_the_sources_its_string_table_leaves_out() {
        let offending = sources_using(NOT_FIRST_SCREEN);
        assert!(
            offending.is_empty(),
            "move these out of the first screen or out of NOT_FIRST_SCREEN: {offending:?}"
        );
    }

    /// The same for the other public pages' table (`public.html`, `NOT_PUBLIC_PAGES`).
    #[test]
    fn the_public_pages_use_none_of_the_sources_their_string_table_leaves_out() {
        let offending = sources_using(NOT_PUBLIC_PAGES);
        assert!(
            offending.is_empty(),
            "move these out of the public pages or out of NOT_PUBLIC_PAGES: {offending:?}"
        );
    }

    #[test]
    fn distances_read_in_metres_then_kilometres() {
        assert_eq!(format_distance(Lang::Zh, 850), "850 米");
        assert_eq!(format_distance(Lang::En, 12_345), "12.3 km");
        assert_eq!(format_distance(Lang::En, 1_000), "1.0 km");
        assert_eq!(format_distance(Lang::En, 1_950), "2.0 km");
        assert_eq!(format_distance(Lang::Zh, 19_960), "20.0 公里");
    }
}
