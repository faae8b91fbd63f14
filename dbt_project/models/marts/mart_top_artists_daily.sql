{{ config(**day_partitioned('listen_date', cluster_by=['artist_id'])) }}

with

daily_listens as (

    select * from {{ ref('fct_daily_listens') }}
    {{ where_run_days('listen_date') }}

),

-- An artist credited twice on a track still gets each play once.
track_artists as (

    select distinct track_id, artist_id from {{ ref('stg_spotify__track_artists') }}

),

artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

-- Every credited artist of a track gets its plays (a duet counts for both).
per_artist as (

    select
        daily_listens.listen_date,
        track_artists.artist_id,
        sum(daily_listens.plays) as plays,
        count(distinct daily_listens.user_key) as listeners,
        sum(daily_listens.ms_listened) as ms_listened

    from daily_listens
    inner join track_artists on daily_listens.track_id = track_artists.track_id
    group by daily_listens.listen_date, track_artists.artist_id

),

ranked as (

    select
        *,
        {{ top_n_rank('listen_date', 'artist_id') }} as artist_rank
    from per_artist

),

final as (

    select
        ranked.listen_date,
        cast(ranked.artist_rank as {{ dbt.type_bigint() }}) as artist_rank,
        ranked.artist_id,
        artists.artist_name,
        cast(ranked.plays as {{ dbt.type_bigint() }}) as plays,
        cast(ranked.listeners as {{ dbt.type_bigint() }}) as listeners,
        cast(ranked.ms_listened as {{ dbt.type_bigint() }}) as ms_listened

    from ranked
    left join artists on ranked.artist_id = artists.artist_id
    where ranked.artist_rank <= {{ var('top_n') }}

)

select * from final
