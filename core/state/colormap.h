// Which colour map the heatmap uses, as a plain value (the gradients themselves live in the UI).
#pragma once

#include <optional>
#include <string>

namespace ebm {

enum class ColorMap { Viridis, Cividis, ColdToHot };

//! \brief the stable name a file stores: viridis, cividis or cold-to-hot
std::string colorMapKey(ColorMap map);
//! \brief the inverse of colorMapKey; none for any other text
std::optional<ColorMap> colorMapFromKey(const std::string &key);

} // namespace ebm
