//! Vietnamese names by ethnicity, with weights close to their frequency in Bình Thuận.

use grassroots_domain::member::Gender;

use super::rng::Rng;

/// Kinh family names and their rough share (per mille) of the population.
const KINH_FAMILY: &[(u32, &str)] = &[
    (380, "Nguyễn"),
    (110, "Trần"),
    (95, "Lê"),
    (70, "Phạm"),
    (50, "Huỳnh"),
    (45, "Phan"),
    (40, "Võ"),
    (30, "Hoàng"),
    (20, "Đặng"),
    (20, "Bùi"),
    (14, "Đỗ"),
    (13, "Hồ"),
    (13, "Ngô"),
    (10, "Dương"),
    (8, "Đinh"),
    (8, "Trương"),
    (6, "Mai"),
    (6, "Lương"),
    (5, "Tô"),
    (5, "Cao"),
    (4, "Đoàn"),
    (4, "Châu"),
];

const MALE_MIDDLE: &[&str] = &[
    "Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Ngọc", "Xuân", "Đình",
    "Trọng", "Tấn", "Thành",
];
const FEMALE_MIDDLE: &[&str] = &[
    "Thị", "Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Hồng", "Bích", "Phương",
];
const MALE_GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hậu", "Hiếu", "Hoàng", "Hùng", "Hưng", "Khánh",
    "Khoa", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Thắng",
    "Thành", "Thịnh", "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Vũ", "Nhân", "Trí",
];
const FEMALE_GIVEN: &[&str] = &[
    "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Lan", "Liên",
    "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thu",
    "Thủy", "Trang", "Tuyết", "Vân", "Xuân", "Yến", "Diễm", "My",
];
/// Chăm family names of Bình Thuận.
const CHAM_FAMILY: &[&str] = &["Đàng", "Bá", "Thuận", "Lộ", "Quảng", "Thông", "Lưu", "Phú"];
/// Ra Glai family names.
const RAGLAI_FAMILY: &[&str] = &["Mang", "Katơr", "Chamaléa", "Pinăng", "Bo Bo", "Mấu"];
/// Hoa (Chinese Vietnamese) family names.
const HOA_FAMILY: &[&str] = &["Lâm", "Quách", "Lý", "Mã", "Hứa", "Tạ", "Diệp", "La"];

/// Ethnicities of the members, per mille.
const ETHNICITIES: &[(u32, &str)] = &[(940, "Kinh"), (30, "Chăm"), (20, "Hoa"), (10, "Ra Glai")];

#[derive(Debug, Clone)]
pub struct Person {
    pub full_name: String,
    pub gender: Gender,
    pub ethnicity: &'static str,
}

/// A person with a name that fits their gender and ethnicity. About a third of the members
/// are women.
pub fn person(rng: &mut Rng) -> Person {
    let gender = if rng.chance(34) {
        Gender::Female
    } else {
        Gender::Male
    };
    let ethnicity = *rng.weighted(ETHNICITIES);
    let family = match ethnicity {
        "Chăm" => *rng.pick(CHAM_FAMILY),
        "Ra Glai" => *rng.pick(RAGLAI_FAMILY),
        "Hoa" => *rng.pick(HOA_FAMILY),
        _ => *rng.weighted(KINH_FAMILY),
    };
    let (middle, given) = match gender {
        Gender::Male => (*rng.pick(MALE_MIDDLE), *rng.pick(MALE_GIVEN)),
        Gender::Female => (*rng.pick(FEMALE_MIDDLE), *rng.pick(FEMALE_GIVEN)),
    };
    Person {
        full_name: format!("{family} {middle} {given}"),
        gender,
        ethnicity,
    }
}
