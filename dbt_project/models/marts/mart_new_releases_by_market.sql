{{ config(**day_partitioned('snapshot_date', cluster_by=['market'])) }}

with

new_releases as (

    select * from {{ ref('stg_spotify__new_releases') }}
    {{ where_run_days('snapshot_date') }}

),

new_release_tracks as (

    select * from {{ ref('stg_spotify__new_release_tracks') }}
    {{ where_run_days('snapshot_date') }}

),

tracks_per_market as (

    select
        snapshot_date,
        market,
        count(*) as tracks,
        sum(duration_ms) as duration_ms

    from new_release_tracks
    group by snapshot_date, market

),

per_market as (

    select
        snapshot_date,
        market,
        count(*) as releases,
        sum(case when album_type = 'album' then 1 else 0 end) as albums,
        sum(case when album_type = 'single' then 1 else 0 end) as singles,
        sum(case when album_type = 'compilation' then 1 else 0 end) as compilations,
        max(release_date) as newest_release_date

    from new_releases
    group by snapshot_date, market

),

final as (

    select
        per_market.snapshot_date,
        per_market.market,
        cast(releases as {{ dbt.type_bigint() }}) as releases,
        cast(albums as {{ dbt.type_bigint() }}) as albums,
        cast(singles as {{ dbt.type_bigint() }}) as singles,
        cast(compilations as {{ dbt.type_bigint() }}) as compilations,
        newest_release_date,
        cast(coalesce(tracks_per_market.tracks, 0) as {{ dbt.type_bigint() }}) as tracks,
        cast(coalesce(tracks_per_market.duration_ms, 0) as {{ dbt.type_bigint() }}) as duration_ms

    from per_market
    left join tracks_per_market
        on per_market.snapshot_date = tracks_per_market.snapshot_date
        and per_market.market = tracks_per_market.market

)

select * from final
