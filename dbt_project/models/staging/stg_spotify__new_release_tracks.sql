with

source as (

    select * from {{ source('gold', 'fct_new_release_tracks') }}

),

renamed as (

    select
        snapshot_date,
        market,
        album_id,
        cast(position as {{ dbt.type_bigint() }}) as track_position,
        cast(disc_number as {{ dbt.type_bigint() }}) as disc_number,
        cast(track_number as {{ dbt.type_bigint() }}) as track_number,
        track_id,
        track_uri,
        track_name,
        cast(duration_ms as {{ dbt.type_bigint() }}) as duration_ms,
        explicit as is_explicit,
        fetched_at

    from source

)

select * from renamed
