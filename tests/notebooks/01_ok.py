# %% [markdown]
# # A report that works
#
# A fixture for the batch runner's tests: it takes the batch's parameters and records one headline figure.

# %% tags=["parameters"]
period = ""
data_dir = ""
config_path = ""
output_dir = ""
interactive = True

# %%
from salesops_helpers.analyses.findings import ExecutiveSummary, Headline
from salesops_helpers.presentation.headlines import show_headlines
from salesops_helpers.presentation.summary import show_summary

show_summary(ExecutiveSummary("The answer is 42.", "Nothing moved.", "No risk in sight.", "Carry on.", figures=[]))
show_headlines([Headline("answer", "The answer", 42, "42"), Headline("period", "Period", period, period)])

# %%
import matplotlib.pyplot as plt

figure, axes = plt.subplots(figsize=(4, 2))
axes.plot([1, 2, 3], [3, 1, 2])
axes.set_title("A line")
plt.show()

import pandas as pd

from salesops_helpers.presentation.report import table

table(pd.DataFrame({"rep": [f"Rep {i}" for i in range(30)]}), name="reps")
