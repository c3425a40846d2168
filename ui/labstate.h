// The lab state now lives in core (core/state/labstate.h), where the session reader can use it without widgets.
// This header keeps the UI's includes as they were, the colour maps' names and gradients included.
#pragma once

#include "colormaps.h"
#include "state/labstate.h"
