// The colour maps of the heatmap: perceptually uniform ones and the lecture's cold-to-hot.
#pragma once

#include <QString>
#include <QStringList>

class QCPColorGradient;

namespace ebm {

enum class ColorMap { Viridis, Cividis, ColdToHot };

QCPColorGradient colorGradient(ColorMap map);
QString colorMapName(ColorMap map);

} // namespace ebm
