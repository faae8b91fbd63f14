{#
  The rank of a row within its period for the top-N marts: most plays first, then most listeners,
  then the id, so ties always rank the same way (row_number: ranks are unique, 1..N).
#}
{% macro top_n_rank(period, id) -%}
  row_number() over (partition by {{ period }} order by plays desc, listeners desc, {{ id }})
{%- endmacro %}
