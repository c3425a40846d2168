#include "state/colormap.h"

namespace ebm {

std::string colorMapKey(ColorMap map)
{
    switch (map) {
    case ColorMap::Viridis:
        return "viridis";
    case ColorMap::Cividis:
        return "cividis";
    case ColorMap::ColdToHot:
        return "cold-to-hot";
    }
    return {};
}

std::optional<ColorMap> colorMapFromKey(const std::string &key)
{
    for (ColorMap map : {ColorMap::Viridis, ColorMap::Cividis, ColorMap::ColdToHot}) {
        if (colorMapKey(map) == key)
            return map;
    }
    return std::nullopt;
}

} // namespace ebm
