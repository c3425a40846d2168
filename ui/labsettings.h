// The lab state in QSettings: what a person set is there again next time.
#pragma once

#include "labstate.h"

class QSettings;

namespace ebm {

void saveLabState(QSettings &settings, const LabState &state);
//! \brief the saved state, every value checked: a missing, malformed or absurd one keeps \a defaults' value
LabState loadLabState(QSettings &settings, const LabState &defaults = {});

} // namespace ebm
