with

source as (

    select * from {{ source('gold', 'dim_artists') }}

),

renamed as (

    select
        artist_id,
        artist_uri,
        artist_name,
        cast(popularity as {{ dbt.type_bigint() }}) as popularity,
        cast(followers as {{ dbt.type_bigint() }}) as followers,
        first_seen_at,
        last_seen_at,
        looked_up_at

    from source

)

select * from renamed
