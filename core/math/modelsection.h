// The section profile of any model of the family (issue #7): F along a straight line, as sectionProfile does for
// the ellipse. Plain C++ + Eigen: no Qt here.
#pragma once

#include "math/energymodel.h"
#include "math/section.h"

namespace ebm {

//! \brief F_beta(points[i]) of \a model for each beta (inf: F_inf) at \a samples evenly spaced points of the line;
//! a model without F_beta (sparse coding) gets only the beta = inf curve, whatever else is asked for
SectionProfile modelSectionProfile(const EnergyModel &model, const SectionLine &line, const std::vector<double> &betas,
                                   int samples);

} // namespace ebm
