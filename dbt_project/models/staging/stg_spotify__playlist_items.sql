with

source as (

    select * from {{ source('gold', 'fct_playlist_items') }}

),

renamed as (

    select
        snapshot_date,
        playlist_id,
        user_key as owner_user_key,
        cast(position as {{ dbt.type_bigint() }}) as item_position,
        track_id,
        track_uri,
        track_name,
        is_local,
        album_id,
        added_at,
        added_by,
        fetched_at

    from source

)

select * from renamed
