//! Plausible household holders: Chinese names and 18-digit resident ID numbers with a valid
//! check digit. Demo personal data, generated, never real; still never sent to the public.
use rand::Rng;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "邓", "韩", "冯", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
    "任", "卢", "姚", "沈", "钟", "姜",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "英", "华", "平", "刚", "桂", "兰", "建", "国", "志", "红", "玉", "文", "春", "海",
    "德", "福", "云", "燕", "小", "梅", "林", "辉", "鹏", "霞", "斌", "波", "宁", "凤", "金", "荣",
    "新", "清", "亮", "成", "婷", "雪",
];

pub fn holder_name(rng: &mut impl Rng) -> String {
    let mut name = String::from(SURNAMES[rng.random_range(0..SURNAMES.len())]);
    for _ in 0..rng.random_range(1..=2) {
        name.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
    }
    name
}

/// GB 11643: 6-digit area code, birth date, 3-digit sequence, ISO 7064 MOD 11-2 check.
pub fn id_number(area_code: &str, rng: &mut impl Rng) -> String {
    let year = rng.random_range(1940..=2004);
    let month = rng.random_range(1..=12);
    let day = rng.random_range(1..=28);
    let body = format!(
        "{area_code}{year:04}{month:02}{day:02}{:03}",
        rng.random_range(1..=999)
    );
    let check = crate::id_number::check_char(&body);
    format!("{body}{check}")
}
