{#- Person identifiers (GB 11643 resident ID numbers). One definition each, used by every staging model. -#}

{#- The normalised form the HMAC and the checks see: trimmed, upper-case (x), empty as null. -#}
{% macro normalise_id_number(column) -%}
    nullif(upper(trim({{ column }})), '')
{%- endmacro %}

{#- True when the normalised ID has 17 digits and a correct MOD 11-2 check character (GB 11643). -#}
{% macro is_valid_id_number(column) -%}
    {%- set id = normalise_id_number(column) -%}
    {%- set weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] -%}
    coalesce(
        length({{ id }}) = 18
        and {{ matches_regex(id, '^[0-9]{17}[0-9X]$') }}
        and substr('10X98765432', cast((
            {%- for weight in weights %}
            {% if not loop.first %}+ {% endif %}cast(substr({{ id }}, {{ loop.index }}, 1) as integer) * {{ weight }}
            {%- endfor %}
        ) % 11 as integer) + 1, 1) = substr({{ id }}, 18, 1),
        false
    )
{%- endmacro %}

{#- Birth month (first of the month, a date) from a valid-looking ID; null when not plausible. -#}
{% macro id_number_birth_month(column) -%}
    {%- set id = normalise_id_number(column) -%}
    case
        when {{ matches_regex(id, '^[0-9]{6}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])[0-9]{5}[0-9X]$') }}
            then cast(substr({{ id }}, 7, 4) || '-' || substr({{ id }}, 11, 2) || '-01' as date)
    end
{%- endmacro %}

{#- Sex from the 17th digit: odd 男, even 女. -#}
{% macro id_number_sex(column) -%}
    {%- set id = normalise_id_number(column) -%}
    case
        when not {{ matches_regex(id, '^[0-9]{17}[0-9X]$') }} then null
        when cast(substr({{ id }}, 17, 1) as integer) % 2 = 1 then '男'
        else '女'
    end
{%- endmacro %}

{#- person_key = HMAC-SHA256(secret, normalised ID). The secret never enters SQL: the same function
    minzheng_hmac_sha256 is registered with the key bound in Python, on DuckDB by
    minzheng.warehouse_plugin and on Spark by minzheng.spark_engine (a session function). -#}
{% macro pseudonymise_id(column) -%}
    {{ return(adapter.dispatch('pseudonymise_id', 'minzheng')(column)) }}
{%- endmacro %}

{% macro duckdb__pseudonymise_id(column) -%}
    minzheng_hmac_sha256({{ normalise_id_number(column) }})
{%- endmacro %}

{% macro spark__pseudonymise_id(column) -%}
    minzheng_hmac_sha256({{ normalise_id_number(column) }})
{%- endmacro %}

{% macro default__pseudonymise_id(column) -%}
    {{ exceptions.raise_compiler_error(
        "pseudonymise_id: no keyed HMAC UDF for adapter " ~ adapter.type()
        ~ "; register one (as minzheng.warehouse_plugin does for DuckDB) and add a dispatch macro"
    ) }}
{%- endmacro %}

{#- The address code of the ID (its first 6 digits): the county where the holder was registered when
    the ID was issued. Kept as issued (a retired district code stays); dim_person maps it
    to the current district. Null when the ID is not 18 characters of the GB 11643 form. -#}
{% macro id_number_region_code(column) -%}
    {%- set id = normalise_id_number(column) -%}
    case when {{ matches_regex(id, '^[1-9][0-9]{16}[0-9X]$') }} then substr({{ id }}, 1, 6) end
{%- endmacro %}
