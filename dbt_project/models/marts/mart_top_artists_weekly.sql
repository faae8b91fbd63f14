{{ config(**day_partitioned('week_start', grain='week', cluster_by=['artist_id'])) }}

with

daily_listens as (

    select
        *,
        {{ week_start('listen_date') }} as week_start
    from {{ ref('fct_daily_listens') }}
    {{ where_run_days('listen_date', grain='week') }}

),

-- An artist credited twice on a track still gets each play once.
track_artists as (

    select distinct track_id, artist_id from {{ ref('stg_spotify__track_artists') }}

),

artists as (

    select * from {{ ref('stg_spotify__artists') }}

),

per_artist as (

    select
        daily_listens.week_start,
        track_artists.artist_id,
        sum(daily_listens.plays) as plays,
        count(distinct daily_listens.user_key) as listeners,
        sum(daily_listens.ms_listened) as ms_listened,
        count(distinct daily_listens.listen_date) as days_with_plays

    from daily_listens
    inner join track_artists on daily_listens.track_id = track_artists.track_id
    group by daily_listens.week_start, track_artists.artist_id

),

ranked as (

    select
        *,
        {{ top_n_rank('week_start', 'artist_id') }} as artist_rank
    from per_artist

),

final as (

    select
        ranked.week_start,
        cast(ranked.artist_rank as {{ dbt.type_bigint() }}) as artist_rank,
        ranked.artist_id,
        artists.artist_name,
        cast(ranked.plays as {{ dbt.type_bigint() }}) as plays,
        cast(ranked.listeners as {{ dbt.type_bigint() }}) as listeners,
        cast(ranked.ms_listened as {{ dbt.type_bigint() }}) as ms_listened,
        cast(ranked.days_with_plays as {{ dbt.type_bigint() }}) as days_with_plays

    from ranked
    left join artists on ranked.artist_id = artists.artist_id
    where ranked.artist_rank <= {{ var('top_n') }}

)

select * from final
