with

source as (

    select * from {{ source('gold', 'dim_albums') }}

),

renamed as (

    select
        album_id,
        album_uri,
        album_name,
        album_type,
        release_date,
        release_date_precision,
        release_date_raw,
        cast(total_tracks as {{ dbt.type_bigint() }}) as total_tracks,
        label,
        cast(popularity as {{ dbt.type_bigint() }}) as popularity,
        first_seen_at,
        last_seen_at,
        looked_up_at

    from source

)

select * from renamed
