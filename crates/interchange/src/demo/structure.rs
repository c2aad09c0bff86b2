//! The organizations of the La Gi town party committee as seed 000 reports them: 11
//! grassroots committees holding 147 cells, and 40 grassroots cells directly under the town.

/// A grassroots committee, its code, and how its cells are named.
pub struct Committee {
    pub code: &'static str,
    pub name: &'static str,
    /// The cells' names: a prefix and a count (`Chi bộ Khu phố 1..n`), or a list.
    pub cells: Cells,
}

pub enum Cells {
    Numbered(&'static str, usize),
    Named(&'static [&'static str]),
}

/// The nine wards and communes of La Gi, then the town police and the military command.
/// The cells add up to 148: one of them is merged into its neighbour in 2024, leaving 147.
pub const COMMITTEES: &[Committee] = &[
    Committee {
        code: "LG.PHUOCHOI",
        name: "Đảng bộ phường Phước Hội",
        cells: Cells::Numbered("Chi bộ Khu phố", 16),
    },
    Committee {
        code: "LG.PHUOCLOC",
        name: "Đảng bộ phường Phước Lộc",
        cells: Cells::Numbered("Chi bộ Khu phố", 15),
    },
    Committee {
        code: "LG.TANAN",
        name: "Đảng bộ phường Tân An",
        cells: Cells::Numbered("Chi bộ Khu phố", 15),
    },
    Committee {
        code: "LG.TANTHIEN",
        name: "Đảng bộ phường Tân Thiện",
        cells: Cells::Numbered("Chi bộ Khu phố", 14),
    },
    Committee {
        code: "LG.BINHTAN",
        name: "Đảng bộ phường Bình Tân",
        cells: Cells::Numbered("Chi bộ Khu phố", 13),
    },
    Committee {
        code: "LG.TANBINH",
        name: "Đảng bộ xã Tân Bình",
        cells: Cells::Numbered("Chi bộ Thôn", 14),
    },
    Committee {
        code: "LG.TANHAI",
        name: "Đảng bộ xã Tân Hải",
        cells: Cells::Numbered("Chi bộ Thôn", 13),
    },
    Committee {
        code: "LG.TANPHUOC",
        name: "Đảng bộ xã Tân Phước",
        cells: Cells::Numbered("Chi bộ Thôn", 13),
    },
    Committee {
        code: "LG.TANTIEN",
        name: "Đảng bộ xã Tân Tiến",
        cells: Cells::Numbered("Chi bộ Thôn", 13),
    },
    Committee {
        code: "LG.CONGAN",
        name: "Đảng bộ Công an thị xã La Gi",
        cells: Cells::Named(&[
            "Chi bộ Đội Tổng hợp",
            "Chi bộ Đội Cảnh sát điều tra tội phạm về trật tự xã hội",
            "Chi bộ Đội Cảnh sát giao thông - trật tự",
            "Chi bộ Đội An ninh",
            "Chi bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội",
            "Chi bộ Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp",
            "Chi bộ Đội Cảnh sát kinh tế",
            "Chi bộ Đội Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
            "Chi bộ Đội Cảnh sát điều tra tội phạm về ma túy",
            "Chi bộ Nhà tạm giữ",
            "Chi bộ Công an phường Phước Hội",
        ]),
    },
    Committee {
        code: "LG.QUANSU",
        name: "Đảng bộ Quân sự thị xã La Gi",
        cells: Cells::Named(&[
            "Chi bộ Ban Chỉ huy",
            "Chi bộ Ban Tham mưu",
            "Chi bộ Ban Chính trị",
            "Chi bộ Ban Hậu cần - Kỹ thuật",
            "Chi bộ Trung đội Dân quân cơ động",
            "Chi bộ Ban Chỉ huy Quân sự phường Phước Hội",
            "Chi bộ Ban Chỉ huy Quân sự phường Tân An",
            "Chi bộ Ban Chỉ huy Quân sự xã Tân Hải",
            "Chi bộ Kho vũ khí",
            "Chi bộ Trạm Ra-đa",
            "Chi bộ Đồn Biên phòng",
        ]),
    },
];

/// The 40 grassroots cells directly under the town committee: its agencies, schools,
/// services and enterprises.
pub const GRASSROOTS_CELLS: &[&str] = &[
    "Chi bộ Văn phòng Thị ủy",
    "Chi bộ Ủy ban Kiểm tra Thị ủy",
    "Chi bộ Ban Tổ chức Thị ủy",
    "Chi bộ Ban Tuyên giáo Thị ủy",
    "Chi bộ Ban Dân vận Thị ủy",
    "Chi bộ Trung tâm Chính trị thị xã",
    "Chi bộ Văn phòng HĐND và UBND thị xã",
    "Chi bộ Phòng Nội vụ",
    "Chi bộ Phòng Tài chính - Kế hoạch",
    "Chi bộ Phòng Tư pháp",
    "Chi bộ Phòng Tài nguyên và Môi trường",
    "Chi bộ Phòng Kinh tế",
    "Chi bộ Phòng Quản lý đô thị",
    "Chi bộ Phòng Văn hóa và Thông tin",
    "Chi bộ Phòng Lao động - Thương binh và Xã hội",
    "Chi bộ Phòng Giáo dục và Đào tạo",
    "Chi bộ Thanh tra thị xã",
    "Chi bộ Khối Mặt trận và các đoàn thể",
    "Chi bộ Viện Kiểm sát nhân dân thị xã",
    "Chi bộ Tòa án nhân dân thị xã",
    "Chi bộ Chi cục Thi hành án dân sự",
    "Chi bộ Chi cục Thuế khu vực La Gi - Hàm Tân",
    "Chi bộ Kho bạc Nhà nước La Gi",
    "Chi bộ Chi cục Thống kê",
    "Chi bộ Trung tâm Y tế thị xã",
    "Chi bộ Bệnh viện Đa khoa khu vực La Gi",
    "Chi bộ Trường THPT Nguyễn Huệ",
    "Chi bộ Trường THPT Lê Lợi",
    "Chi bộ Trường THPT Huỳnh Thúc Kháng",
    "Chi bộ Trường THCS Phước Hội",
    "Chi bộ Trường THCS Tân An",
    "Chi bộ Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
    "Chi bộ Trung tâm Văn hóa - Thông tin và Thể thao",
    "Chi bộ Ban Quản lý dự án đầu tư xây dựng",
    "Chi bộ Trung tâm Phát triển quỹ đất",
    "Chi bộ Hạt Kiểm lâm",
    "Chi bộ Đồn Biên phòng La Gi",
    "Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh La Gi",
    "Chi bộ Điện lực La Gi",
    "Chi bộ Công ty Cổ phần Cấp thoát nước",
];

/// The tree history the demo records, so that "as of" answers differ by date.
/// On 2023-03-01 this cell of Bình Tân moves to Tân Thiện...
pub const MOVED_CELL: (&str, &str) = ("LG.BINHTAN.13", "LG.TANTHIEN");
pub const MOVED_ON: (i32, u32, u32) = (2023, 3, 1);
/// ...and on 2024-06-01 Khu phố 16 of Phước Hội merges into Khu phố 15.
pub const MERGED_CELLS: (&str, &str) = ("LG.PHUOCHOI.16", "LG.PHUOCHOI.15");
pub const MERGED_ON: (i32, u32, u32) = (2024, 6, 1);
