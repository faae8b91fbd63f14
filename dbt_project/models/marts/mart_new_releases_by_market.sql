{{ config(**day_partitioned('snapshot_date', cluster_by=['market'])) }}

with

new_releases as (

    select * from {{ ref('stg_spotify__new_releases') }}
    {{ where_run_days('snapshot_date') }}

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
        snapshot_date,
        market,
        cast(releases as {{ dbt.type_bigint() }}) as releases,
        cast(albums as {{ dbt.type_bigint() }}) as albums,
        cast(singles as {{ dbt.type_bigint() }}) as singles,
        cast(compilations as {{ dbt.type_bigint() }}) as compilations,
        newest_release_date

    from per_market

)

select * from final
