// The colour maps of the heatmap: perceptually uniform ones and the lecture's cold-to-hot.
#pragma once

#include "state/colormap.h"

#include <QString>
#include <QStringList>

class QCPColorGradient;

namespace ebm {

QCPColorGradient colorGradient(ColorMap map);
QString colorMapName(ColorMap map);

} // namespace ebm
