{{ config(**day_partitioned('listen_date', cluster_by=['user_key', 'track_uri'])) }}

with

listens as (

    select * from {{ ref('stg_spotify__listens') }}
    {{ where_run_days('listen_date') }}

),

per_user_and_track as (

    select
        listen_date,
        user_key,
        track_uri,
        max(track_id) as track_id,
        max(track_name) as track_name,
        max(album_id) as album_id,
        max(primary_artist_id) as primary_artist_id,
        count(*) as plays,
        cast(sum(ms_listened) as {{ dbt.type_bigint() }}) as ms_listened,
        min(played_at) as first_played_at,
        max(played_at) as last_played_at

    from listens
    group by listen_date, user_key, track_uri

),

final as (

    select
        {{ surrogate_key(['listen_date', 'user_key', 'track_uri']) }} as daily_listen_id,
        *
    from per_user_and_track

)

select * from final
