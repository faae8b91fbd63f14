with

source as (

    select * from {{ source('gold', 'dim_tracks') }}

),

renamed as (

    select
        track_id,
        track_uri,
        track_name,
        cast(duration_ms as {{ dbt.type_bigint() }}) as duration_ms,
        explicit as is_explicit,
        isrc,
        album_id,
        cast(popularity as {{ dbt.type_bigint() }}) as popularity,
        cast(market_count as {{ dbt.type_bigint() }}) as market_count,
        first_seen_at,
        last_seen_at,
        looked_up_at

    from source

)

select * from renamed
