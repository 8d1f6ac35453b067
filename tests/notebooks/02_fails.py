# %% [markdown]
# # A report that fails
#
# A fixture for the batch runner's tests: its third code cell raises.

# %% tags=["parameters"]
period = ""
data_dir = ""
config_path = ""
output_dir = ""
interactive = True

# %%
total = 1

# %%
raise ValueError("the deliberate failure of the fixture")
