{{ config(**day_partitioned('listen_date', cluster_by=['track_uri'])) }}

with

daily_listens as (

    select * from {{ ref('fct_daily_listens') }}
    {{ where_run_days('listen_date') }}

),

tracks as (

    select * from {{ ref('stg_spotify__tracks') }}

),

artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

per_track as (

    select
        listen_date,
        track_uri,
        max(track_id) as track_id,
        max(track_name) as track_name,
        max(primary_artist_id) as primary_artist_id,
        sum(plays) as plays,
        count(distinct user_key) as listeners,
        sum(ms_listened) as ms_listened

    from daily_listens
    group by listen_date, track_uri

),

ranked as (

    select
        *,
        {{ top_n_rank('listen_date', 'track_uri') }} as track_rank
    from per_track

),

final as (

    select
        ranked.listen_date,
        cast(ranked.track_rank as {{ dbt.type_bigint() }}) as track_rank,
        ranked.track_uri,
        ranked.track_id,
        coalesce(tracks.track_name, ranked.track_name) as track_name,
        artists.artist_name as primary_artist_name,
        cast(ranked.plays as {{ dbt.type_bigint() }}) as plays,
        cast(ranked.listeners as {{ dbt.type_bigint() }}) as listeners,
        cast(ranked.ms_listened as {{ dbt.type_bigint() }}) as ms_listened

    from ranked
    left join tracks on ranked.track_id = tracks.track_id
    left join artists on ranked.primary_artist_id = artists.artist_id
    where ranked.track_rank <= {{ var('top_n') }}

)

select * from final
