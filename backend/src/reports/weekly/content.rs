//! What a weekly report says, gathered from the figures, rankings, alerts and trend modules,
//! and how it is laid out. No personal data: counts, project and region names only.
use chrono::{Duration, NaiveDate};
use serde_json::Value;
use sqlx::PgPool;

use super::layout::{Align, Column, Layout};
use super::numbers::{change, count, figure};
use super::{font::ReportFont, render, words, Week};
use crate::clock::beijing_today;
use crate::error::AppResult;
use crate::figures::{self, FIGURES};
use crate::reports::alerts::{Alert, ProgressAlert};
use crate::reports::rankings::{Period, Rankings};
use crate::reports::{self, Level, DEFAULT_STALLED_DAYS, MAX_TREND_DAYS};

/// Weeks in the trend table.
const TREND_WEEKS: i64 = 8;
/// A ranking longer than twice this lists its first and last so many (红黑榜): a city of
/// a thousand projects still prints a report of a few pages.
const RANK_ENDS: usize = 15;
/// Lagging projects and funds warnings listed at most; the note says how many more there are.
const LISTED_ALERTS: usize = 40;

/// The rows to print of a ranking: all, or its first and last `RANK_ENDS` with a "…" row
/// between them; and the note that says so.
fn ranking_ends(mut rows: Vec<Vec<String>>) -> (Vec<Vec<String>>, Option<String>) {
    let total = rows.len();
    if total <= 2 * RANK_ENDS {
        return (rows, None);
    }
    let tail = rows.split_off(total - RANK_ENDS);
    rows.truncate(RANK_ENDS);
    let width = tail[0].len();
    rows.push(
        (0..width)
            .map(|i| {
                if i == 3 {
                    "……".to_owned()
                } else {
                    String::new()
                }
            })
            .collect(),
    );
    rows.extend(tail);
    (
        rows,
        Some(format!(
            "共 {total} 个，列出前 {RANK_ENDS} 名和后 {RANK_ENDS} 名。"
        )),
    )
}

/// At most `LISTED_ALERTS` rows, and the note naming how many were left out.
fn listed(mut rows: Vec<Vec<String>>) -> (Vec<Vec<String>>, Option<String>) {
    let total = rows.len();
    rows.truncate(LISTED_ALERTS);
    let more = (total > LISTED_ALERTS).then(|| {
        format!(
            "另有 {} 项未列出（共 {total} 项），详见驾驶舱预警列表。",
            total - LISTED_ALERTS
        )
    });
    (rows, more)
}

pub struct Report {
    pub region_name: String,
    level: String,
    week: Week,
    /// The day the figures are taken at the end of: the Sunday, or today for this week.
    end: NaiveDate,
    projects: usize,
    now: Vec<Value>,
    before: Vec<Value>,
    streets: Option<Rankings>,
    ranked_projects: Rankings,
    lagging: Vec<ProgressAlert>,
    funds: Vec<(String, String, String)>,
    trend: Vec<(Week, i64, i64, i64)>,
}

/// Everything region `code`'s report for `week` says.
pub async fn gather(pool: &PgPool, code: &str, week: Week) -> AppResult<Report> {
    let region = figures::scope::region(pool, code).await?;
    let today = beijing_today();
    let end = week.sunday().min(today);
    let projects = figures::projects_in_region(pool, region.id).await?;
    let now = figures::values(
        &figures::counts(pool, &projects, Some(end)).await?,
        Some(end),
        None,
    );
    let before_end = week.before().sunday();
    let before = figures::values(
        &figures::counts(pool, &projects, Some(before_end)).await?,
        Some(before_end),
        None,
    );
    let period = || Period {
        from: week.monday,
        to: end,
    };
    // streets rank below a city or a district; a street's own report ranks its projects only
    let streets = if matches!(region.level.as_str(), "city" | "district") {
        Some(reports::rankings(pool, Level::Street, Some(code), Some(end), Some(period())).await?)
    } else {
        None
    };
    let ranked_projects =
        reports::rankings(pool, Level::Project, Some(code), Some(end), Some(period())).await?;
    let mut lagging = Vec::new();
    let mut funds = Vec::new();
    // progress alerts as they stood at the week's end; funds warnings only exist for today
    let at_end = reports::alerts(pool, DEFAULT_STALLED_DAYS, Some(code), Some(end)).await?;
    let today_alerts = reports::alerts(pool, DEFAULT_STALLED_DAYS, Some(code), None).await?;
    let progress = at_end
        .alerts
        .into_iter()
        .filter(|a| matches!(a, Alert::Progress(_)));
    let funds_today = today_alerts
        .alerts
        .into_iter()
        .filter(|a| matches!(a, Alert::Funds(_)));
    for alert in progress.chain(funds_today) {
        match alert {
            Alert::Progress(a) => lagging.push(a),
            Alert::Funds(a) => {
                let level = if a.level == "alarm" {
                    "告警"
                } else {
                    "预警"
                };
                // the alert's words begin with the project's name, which has its own column
                let warning = a
                    .message
                    .values
                    .get("warning")
                    .map_or_else(|| words::say(&a.message), words::say_value);
                funds.push((a.project_name.clone(), level.to_owned(), warning));
            }
            // filtered out above: the weekly report has no procedure section (yet)
            Alert::Step(_) | Alert::Cases(_) | Alert::Housing(_) => {}
        }
    }
    let first = week.monday - Duration::weeks(TREND_WEEKS - 1);
    let days = ((end - first).num_days() + 1).clamp(1, i64::from(MAX_TREND_DAYS)) as i32;
    let daily = reports::trend(pool, &projects, days, Some(end)).await?.days;
    let trend = (0..TREND_WEEKS)
        .map(|i| {
            let w = Week {
                monday: first + Duration::weeks(i),
            };
            let days = daily
                .iter()
                .filter(|d| d.date >= w.monday && d.date <= w.sunday().min(end));
            let (s, v, d) = days.fold((0, 0, 0), |(s, v, d), day| {
                (s + day.signed, v + day.vacated, d + day.demolished)
            });
            (w, s, v, d)
        })
        .collect();
    Ok(Report {
        region_name: region.name,
        level: region.level,
        week,
        end,
        projects: projects.len(),
        now,
        before,
        streets,
        ranked_projects,
        lagging,
        funds,
        trend,
    })
}

fn col(title: &'static str, share: f32, align: Align) -> Column {
    Column {
        title,
        share,
        align,
    }
}

/// "2026年11月16日".
fn day(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

fn ranking_rows(ranking: &Rankings) -> Vec<Vec<String>> {
    ranking
        .rows
        .iter()
        .map(|r| {
            // no rank last week (nothing signed) is not "unchanged": 新 when it gained this week
            let moved = match r.previous_rank.map(|p| p - r.rank) {
                None if r.new => "新".to_owned(),
                None => "—".to_owned(),
                Some(0) => "=".to_owned(),
                Some(up) if up > 0 => format!("↑{up}"),
                Some(down) => format!("↓{}", -down),
            };
            vec![
                r.rank.to_string(),
                r.previous_rank.map_or("—".to_owned(), |p| p.to_string()),
                moved,
                r.name.clone(),
                count(r.gain_signed),
                count(r.gain_vacated),
                count(r.gain_demolished),
                count(r.previous_gain_signed),
                r.sign_rate
                    .map_or("—".to_owned(), |v| format!("{:.1}%", v * 100.0)),
            ]
        })
        .collect()
}

fn ranking_columns(unit: &'static str) -> [Column; 9] {
    [
        col("本周", 0.6, Align::Right),
        col("上周", 0.6, Align::Right),
        col("升降", 0.6, Align::Right),
        col(unit, 3.3, Align::Left),
        col("本周签约", 1.0, Align::Right),
        col("本周腾空", 1.0, Align::Right),
        col("本周拆除", 1.0, Align::Right),
        col("上周签约", 1.0, Align::Right),
        col("签约率", 1.0, Align::Right),
    ]
}

fn lagging_row(a: &ProgressAlert) -> Vec<String> {
    let (what, detail) = if a.kind == "stalled" {
        (
            "停滞",
            a.since.map_or("尚无任何进展".to_owned(), |d| {
                format!("自 {d} 起无进展")
            }),
        )
    } else {
        (
            "滞后",
            a.projected
                .map_or("近7日无签约".to_owned(), |d| format!("预计 {d} 签完")),
        )
    };
    vec![
        a.project_name.clone(),
        what.to_owned(),
        detail,
        a.target_date.to_string(),
    ]
}

/// "一、" … "七、" before a section's title.
fn numbered(section: usize, text: &str) -> String {
    const NUMBERS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "七"];
    format!("{}、{text}", NUMBERS[section.min(NUMBERS.len()) - 1])
}

impl Report {
    /// The PDF and its number of pages.
    pub fn draw(&self, font: &ReportFont) -> Result<(Vec<u8>, usize), String> {
        let title = format!("{}征地拆迁一周一通报", self.region_name);
        let mut page = Layout::new(font);
        self.header(&mut page, &title);
        self.figures(&mut page);
        let mut section = 1;
        if let Some(streets) = &self.streets {
            section += 1;
            page.heading(&numbered(section, "街道排名（按本周新增签约户数）"));
            Self::table(
                &mut page,
                &ranking_columns("街道/乡镇"),
                ranking_ends(ranking_rows(streets)),
            );
        }
        section += 1;
        page.heading(&numbered(section, "项目排名（按本周新增签约户数）"));
        Self::table(
            &mut page,
            &ranking_columns("项目"),
            ranking_ends(ranking_rows(&self.ranked_projects)),
        );
        page.note("并列同名次；“升降”为较上周名次的变化（新：上周无签约、本周有）；签约率为周末时的累计值。");
        self.alerts(&mut page, section + 1);
        self.trend(&mut page, section + 3);
        page.number_pages(&format!(
            "{title}　{} 至 {}",
            self.week.monday,
            self.week.sunday()
        ));
        let pages = page.pages.len();
        Ok((render::pdf(font, &page.pages, &title)?, pages))
    }

    fn header(&self, page: &mut Layout<'_>, title: &str) {
        let level = words::text(&format!("category.region_level.{}", self.level)).unwrap_or("");
        let generated = (chrono::Utc::now() + Duration::hours(8)).format("%Y-%m-%d %H:%M");
        page.title(
            title,
            &[
                format!(
                    "统计周期：{}（周一）至 {}（周日）",
                    day(self.week.monday),
                    day(self.week.sunday())
                ),
                format!(
                    "数据截至：{} 24:00（北京时间）　范围：{level} · {} 个项目",
                    self.end, self.projects
                ),
                format!("生成时间：{generated}（北京时间）"),
            ],
        );
    }

    /// The region's figures at the week's end against the end of the week before.
    fn figures(&self, page: &mut Layout<'_>) {
        page.heading("一、主要指标");
        let rows: Vec<Vec<String>> = FIGURES
            .iter()
            .zip(self.now.iter().zip(&self.before))
            .filter(|(d, _)| !matches!(d.key, "target_date" | "on_track"))
            .map(|(d, (now, before))| {
                let name = match d.unit {
                    Some(unit) if !matches!(unit, "%" | "date") => format!("{}（{unit}）", d.zh),
                    _ => d.zh.to_owned(),
                };
                vec![
                    name,
                    figure(now, d.unit),
                    figure(before, d.unit),
                    change(now, before, d.unit),
                ]
            })
            .collect();
        let columns = [
            col("指标", 2.4, Align::Left),
            col("本周末", 1.4, Align::Right),
            col("上周末", 1.4, Align::Right),
            col("本周变化", 1.4, Align::Right),
        ];
        page.table(&columns, &rows);
    }

    /// Lagging projects (section `section`) and funds warnings (the next).
    fn alerts(&self, page: &mut Layout<'_>, section: usize) {
        page.heading(&numbered(section, "滞后项目"));
        if self.lagging.is_empty() {
            page.note("无。");
        } else {
            let columns = [
                col("项目", 2.6, Align::Left),
                col("情况", 0.7, Align::Left),
                col("说明", 2.4, Align::Left),
                col("目标日期", 1.2, Align::Right),
            ];
            Self::table(
                page,
                &columns,
                listed(self.lagging.iter().map(lagging_row).collect()),
            );
            page.note(&format!(
                "停滞：{DEFAULT_STALLED_DAYS} 日无进展；滞后：按近7日签约速度晚于目标日期；\
                 为周末时的状态，资金预警为生成时的状态。"
            ));
        }
        page.heading(&numbered(section + 1, "资金预警"));
        if self.funds.is_empty() {
            page.note("无。");
        } else {
            let rows: Vec<Vec<String>> = self
                .funds
                .iter()
                .map(|(p, l, m)| vec![p.clone(), l.clone(), m.clone()])
                .collect();
            let columns = [
                col("项目", 2.5, Align::Left),
                col("级别", 0.6, Align::Left),
                col("预警", 3.9, Align::Left),
            ];
            Self::table(page, &columns, listed(rows));
        }
    }

    /// A table and, under it, the note on what it leaves out.
    fn table(
        page: &mut Layout<'_>,
        columns: &[Column],
        (rows, note): (Vec<Vec<String>>, Option<String>),
    ) {
        page.table(columns, &rows);
        if let Some(note) = note {
            page.note(&note);
        }
    }

    fn trend(&self, page: &mut Layout<'_>, section: usize) {
        page.heading(&numbered(section, "近八周趋势（每周新增）"));
        let rows: Vec<Vec<String>> = self
            .trend
            .iter()
            .map(|(w, s, v, d)| {
                vec![
                    format!("{} 至 {}", w.monday, w.sunday()),
                    count(*s),
                    count(*v),
                    count(*d),
                ]
            })
            .collect();
        let columns = [
            col("周", 2.4, Align::Left),
            col("签约（户）", 1.2, Align::Right),
            col("腾空（户）", 1.2, Align::Right),
            col("拆除（户）", 1.2, Align::Right),
        ];
        page.table(&columns, &rows);
    }
}

#[cfg(test)]
mod tests {
    use super::{ranking_ends, RANK_ENDS};

    #[test]
    fn a_long_ranking_prints_its_two_ends() {
        let rows: Vec<Vec<String>> = (1..=100)
            .map(|i| vec![i.to_string(), String::new(), String::new(), format!("p{i}")])
            .collect();
        let (shown, note) = ranking_ends(rows);
        assert_eq!(shown.len(), 2 * RANK_ENDS + 1);
        assert_eq!(shown[RANK_ENDS][3], "……");
        assert_eq!(shown.last().map(|r| r[0].as_str()), Some("100"));
        assert_eq!(note.as_deref(), Some("共 100 个，列出前 15 名和后 15 名。"));
        assert!(ranking_ends(vec![vec![String::new(); 4]; 30]).1.is_none());
    }
}
