"""The Airflow names that moved between 2.11 and 3: the Task SDK (`airflow.sdk`) first, the 2.x
modules when it is absent. The DAG package imports these from here only, so it imports on both
(Composer 3's Airflow 3.3 and its Airflow 2 target, 2.11)."""

try:  # Airflow 3
    from airflow.sdk import DAG, BaseSensorOperator, Variable, chain
except ImportError:  # Airflow 2.11
    from airflow.models.baseoperator import chain  # noqa: F401
    from airflow.models.dag import DAG  # noqa: F401
    from airflow.models.variable import Variable  # noqa: F401
    from airflow.sensors.base import BaseSensorOperator  # noqa: F401

# Both lines exist on 2.11 and 3.x (Bash and Python operators: the standard provider).
from airflow.providers.standard.operators.bash import BashOperator  # noqa: E402,F401
from airflow.providers.standard.operators.python import ShortCircuitOperator  # noqa: E402,F401


def variable(name: str, default=None):
    """Variable.get with a default, on either API (the keyword differs)."""
    try:
        return Variable.get(name, default=default)
    except TypeError:  # Airflow 2: default_var
        return Variable.get(name, default_var=default)


__all__ = [
    "DAG",
    "BaseSensorOperator",
    "BashOperator",
    "ShortCircuitOperator",
    "Variable",
    "chain",
    "variable",
]
