# %% [markdown]
# # A report that is too slow
#
# A fixture for the batch runner's tests: its second code cell outlasts any short time limit.

# %% tags=["parameters"]
period = ""
data_dir = ""
config_path = ""
output_dir = ""
interactive = True

# %%
import time

time.sleep(60)
