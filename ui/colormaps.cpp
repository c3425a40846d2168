#include "colormaps.h"

#include <qcustomplot.h>

#include <initializer_list>

namespace ebm {

namespace {

QCPColorGradient fromStops(std::initializer_list<const char *> hexColours)
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    const double last = static_cast<double>(hexColours.size() - 1);
    int i = 0;
    for (const char *hex : hexColours)
        gradient.setColorStopAt(i++ / last, QColor(QLatin1String(hex)));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    return gradient;
}

} // namespace

QCPColorGradient colorGradient(ColorMap map)
{
    switch (map) {
    case ColorMap::Viridis: // matplotlib's viridis, sampled every eighth
        return fromStops(
            {"#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#fde725"});
    case ColorMap::Cividis:
        return fromStops({"#00224e", "#123570", "#3b496c", "#575d6d", "#707173", "#8a8678", "#a59c74", "#c3b369",
                          "#e1cc55", "#fee838"});
    case ColorMap::ColdToHot: // diverging blue - light grey - red, as the lecture's energy plots
        return fromStops({"#3b4cc0", "#6788ee", "#9abbff", "#c9d7f0", "#edd1c2", "#f7a889", "#e26952", "#b40426"});
    }
    return {};
}

QString colorMapName(ColorMap map)
{
    switch (map) {
    case ColorMap::Viridis:
        return QStringLiteral("Viridis");
    case ColorMap::Cividis:
        return QStringLiteral("Cividis");
    case ColorMap::ColdToHot:
        return QStringLiteral("Cold to hot");
    }
    return {};
}

} // namespace ebm
