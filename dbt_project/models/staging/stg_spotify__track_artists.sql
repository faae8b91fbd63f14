with

source as (

    select * from {{ source('gold', 'bridge_track_artists') }}

),

renamed as (

    select
        track_id,
        artist_id,
        cast(position as {{ dbt.type_bigint() }}) as billing_position

    from source

)

select * from renamed
