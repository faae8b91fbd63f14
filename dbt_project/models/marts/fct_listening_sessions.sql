{#
  Listening sessions: a user's plays in played_at order, a new session after more than
  session_gap_minutes (30) of silence between two plays. The API tells when a play ended
  (played_at), not when it began, so silence is measured from one play's played_at to the next
  one's. A session belongs to the day it started and may run past midnight: an incremental run
  rebuilds the run's day and the day before (whose last session can continue into the run's day),
  reading one more day back to know whether that day's first play continued an earlier session.
#}
{{ config(**day_partitioned('session_date', lookback=1, cluster_by=['user_key'])) }}

with

listens as (

    select user_key, played_at, listen_date, track_uri, ms_listened
    from {{ ref('stg_spotify__listens') }}
    {{ where_run_days('listen_date', lookback=1, extra_before=1) }}

),

with_previous as (

    select
        *,
        lag(played_at) over (partition by user_key order by played_at) as previous_played_at
    from listens

),

flagged as (

    select
        *,
        case
            when previous_played_at is null then 1
            when {{ millis_between('previous_played_at', 'played_at') }}
                > {{ var('session_gap_minutes') * 60 * 1000 }} then 1
            else 0
        end as starts_session
    from with_previous

),

numbered as (

    select
        *,
        sum(starts_session) over (
            partition by user_key
            order by played_at
            rows between unbounded preceding and current row
        ) as session_number
    from flagged

),

sessions as (

    select
        user_key,
        session_number,
        min(played_at) as started_at,
        max(played_at) as ended_at,
        count(*) as track_count,
        count(distinct track_uri) as distinct_track_count,
        sum(ms_listened) as ms_listened

    from numbered
    group by user_key, session_number

),

final as (

    select
        {{ surrogate_key(['user_key', 'started_at']) }} as session_id,
        user_key,
        {{ utc_date('started_at') }} as session_date,
        started_at,
        ended_at,
        cast({{ millis_between('started_at', 'ended_at') }} as {{ dbt.type_bigint() }}) as length_ms,
        cast(track_count as {{ dbt.type_bigint() }}) as track_count,
        cast(distinct_track_count as {{ dbt.type_bigint() }}) as distinct_track_count,
        cast(ms_listened as {{ dbt.type_bigint() }}) as ms_listened

    from sessions

)

select * from final
{{ where_in_run_partitions('session_date', lookback=1) }}
