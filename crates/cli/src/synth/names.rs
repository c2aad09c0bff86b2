//! Vietnamese names and places for the synthetic nation, with their usual frequencies.

use super::rng::Rng;

/// Family names with approximate shares (per mille) of the population.
pub const SURNAMES: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 20),
    ("Phan", 45),
    ("Vũ", 25),
    ("Võ", 14),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 8),
    ("Trịnh", 6),
    ("Đoàn", 6),
    ("Lương", 5),
    ("Mai", 5),
    ("Cao", 4),
    ("Tạ", 3),
    ("Lò", 2),
    ("Hà", 4),
    ("Thạch", 2),
    ("Kiều", 2),
    ("Chu", 3),
];

pub const MALE_MIDDLE: &[&str] = &[
    "Văn", "Văn", "Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Thanh", "Ngọc", "Xuân", "Đình",
    "Trọng", "Tiến", "Mạnh", "Anh", "Quốc", "Bá", "Duy", "Hoàng", "Thế", "Viết",
];

pub const FEMALE_MIDDLE: &[&str] = &[
    "Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Bích",
    "Thùy", "Mai", "Diệu", "Hải", "Khánh", "Lan",
];

pub const MALE_GIVEN: &[&str] = &[
    "An",
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Đức",
    "Dương",
    "Giang",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hoàng",
    "Hùng",
    "Hưng",
    "Huy",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Lộc",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Ngọc",
    "Nhân",
    "Phong",
    "Phú",
    "Phúc",
    "Quân",
    "Quang",
    "Quý",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Trường",
    "Tú",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Xuân",
    "Chiến",
    "Đông",
    "Hậu",
    "Hiệp",
    "Khải",
    "Lực",
    "Luân",
    "Nguyên",
    "Phát",
    "Sang",
    "Thái",
    "Thiện",
    "Thuận",
    "Tiến",
    "Trí",
    "Tuyến",
    "Vĩnh",
    "Bảo",
];

pub const FEMALE_GIVEN: &[&str] = &[
    "An", "Anh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân",
    "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thơ", "Thu", "Thủy",
    "Thúy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Hậu", "Diệp", "Ly",
    "Nhàn", "Thắm", "Tươi", "Lụa", "Đào",
];

/// Ethnic groups with approximate shares (per mille) among members.
pub const ETHNICITIES: &[(&str, u32)] = &[
    ("Kinh", 870),
    ("Tày", 25),
    ("Thái", 20),
    ("Mường", 18),
    ("Khmer", 12),
    ("Hoa", 6),
    ("Nùng", 14),
    ("H'Mông", 10),
    ("Dao", 9),
    ("Gia Rai", 5),
    ("Ê Đê", 5),
    ("Ba Na", 3),
    ("Chăm", 3),
];

/// The 34 provinces and centrally governed cities after 1 July 2025: name, whether a city,
/// the area code of its citizen IDs, and a weight for its share of members.
pub const PROVINCES: &[(&str, bool, &str, u32)] = &[
    ("Hà Nội", true, "001", 110),
    ("Huế", true, "046", 20),
    ("Hải Phòng", true, "031", 45),
    ("Đà Nẵng", true, "048", 35),
    ("Hồ Chí Minh", true, "079", 120),
    ("Cần Thơ", true, "092", 30),
    ("Lai Châu", false, "012", 8),
    ("Điện Biên", false, "011", 10),
    ("Sơn La", false, "014", 16),
    ("Lạng Sơn", false, "020", 14),
    ("Quảng Ninh", false, "022", 25),
    ("Thanh Hóa", false, "038", 50),
    ("Nghệ An", false, "040", 48),
    ("Hà Tĩnh", false, "042", 22),
    ("Cao Bằng", false, "004", 10),
    ("Tuyên Quang", false, "008", 22),
    ("Lào Cai", false, "010", 22),
    ("Thái Nguyên", false, "019", 26),
    ("Phú Thọ", false, "025", 45),
    ("Bắc Ninh", false, "027", 40),
    ("Hưng Yên", false, "033", 40),
    ("Ninh Bình", false, "037", 42),
    ("Quảng Trị", false, "044", 24),
    ("Quảng Ngãi", false, "051", 26),
    ("Gia Lai", false, "064", 30),
    ("Khánh Hòa", false, "056", 24),
    ("Lâm Đồng", false, "068", 34),
    ("Đắk Lắk", false, "066", 30),
    ("Đồng Nai", false, "075", 38),
    ("Tây Ninh", false, "072", 30),
    ("Vĩnh Long", false, "086", 34),
    ("Đồng Tháp", false, "087", 32),
    ("Cà Mau", false, "096", 22),
    ("An Giang", false, "089", 36),
];

/// The 29 provinces merged into another on 1 July 2025 (Resolution 202/2025/QH15): name,
/// and the index in [`PROVINCES`] of the province they joined, which kept its own name. The
/// other 11 provinces did not change.
pub const MERGED_PROVINCES: &[(&str, usize)] = &[
    ("Hải Dương", 2),
    ("Quảng Nam", 3),
    ("Bình Dương", 4),
    ("Bà Rịa - Vũng Tàu", 4),
    ("Sóc Trăng", 5),
    ("Hậu Giang", 5),
    ("Hà Giang", 15),
    ("Yên Bái", 16),
    ("Bắc Kạn", 17),
    ("Vĩnh Phúc", 18),
    ("Hòa Bình", 18),
    ("Bắc Giang", 19),
    ("Thái Bình", 20),
    ("Hà Nam", 21),
    ("Nam Định", 21),
    ("Quảng Bình", 22),
    ("Kon Tum", 23),
    ("Bình Định", 24),
    ("Ninh Thuận", 25),
    ("Đắk Nông", 26),
    ("Bình Thuận", 26),
    ("Phú Yên", 27),
    ("Bình Phước", 28),
    ("Long An", 29),
    ("Bến Tre", 30),
    ("Trà Vinh", 30),
    ("Tiền Giang", 31),
    ("Bạc Liêu", 32),
    ("Kiên Giang", 33),
];

/// Syllables that make commune and village names.
const PLACE: &[&str] = &[
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Xuân", "Đông", "Tây", "Nam", "Bắc",
    "Trung", "Phước", "Hưng", "Thịnh", "Lộc", "Thành", "Quang", "Minh", "Vĩnh", "Hải", "Sơn", "Hà",
    "Lâm", "Định", "Mỹ", "Đức", "Thuận", "Hiệp", "Lợi", "Khánh", "Yên", "Phong", "Cẩm", "Thái",
    "Quý", "Nghĩa", "Trà", "Kim", "Bảo", "Lạc", "Châu", "Hồng", "Tiên", "Ngọc",
];

pub fn place(rng: &mut Rng) -> String {
    let a = PLACE[rng.below(PLACE.len() as u64) as usize];
    let mut b = PLACE[rng.below(PLACE.len() as u64) as usize];
    if a == b {
        b = PLACE[(rng.below(PLACE.len() as u64 - 1) as usize + 1) % PLACE.len()];
    }
    format!("{a} {b}")
}

/// Grassroots committees: the agencies, schools, companies and forces of a commune.
pub const GRASSROOTS_COMMITTEES: &[&str] = &[
    "Đảng bộ Công an",
    "Đảng bộ Quân sự",
    "Đảng bộ Trường Trung học phổ thông",
    "Đảng bộ Bệnh viện Đa khoa",
    "Đảng bộ Công ty Cổ phần",
    "Đảng bộ Hợp tác xã Nông nghiệp",
    "Đảng bộ Trung tâm Y tế",
    "Đảng bộ Cơ quan Ủy ban nhân dân",
];

/// Grassroots cells: villages, neighbourhoods, schools and small agencies.
pub const GRASSROOTS_CELLS: &[&str] = &[
    "Chi bộ thôn",
    "Chi bộ khu phố",
    "Chi bộ ấp",
    "Chi bộ bản",
    "Chi bộ tổ dân phố",
    "Chi bộ Trường Tiểu học",
    "Chi bộ Trường Mầm non",
    "Chi bộ Trạm Y tế",
];

/// Cells under a grassroots committee.
pub const CELLS: &[&str] = &[
    "Chi bộ Phòng",
    "Chi bộ Tổ",
    "Chi bộ Đội",
    "Chi bộ Khoa",
    "Chi bộ Bộ phận",
];
