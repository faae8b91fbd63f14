with

source as (

    select * from {{ source('gold', 'fct_new_releases') }}

),

renamed as (

    select
        snapshot_date,
        market,
        cast(position as {{ dbt.type_bigint() }}) as chart_position,
        album_id,
        album_name,
        album_type,
        release_date,
        release_date_precision,
        fetched_at

    from source

)

select * from renamed
