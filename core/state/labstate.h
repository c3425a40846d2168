// Everything a person can set in the window, as one value: the single source of truth the panels show.
// Plain C++ + Eigen (no Qt), so that core/io can read and write it and a fuzzer can drive that without widgets.
#pragma once

#include "math/dataset.h"
#include "math/ellipseebm.h"
#include "math/field.h"
#include "state/colormap.h"

namespace ebm {

//! Which layers of the observation plane are drawn.
struct PlaneLayers
{
    bool heatmap = true;
    bool manifold = true;
    bool latents = true;
    bool data = true;
    bool observation = true;
    bool arrows = false;
    bool contours = false;
    bool section = true;
    bool marginLevel = false;

    bool operator==(const PlaneLayers &) const = default;
};

struct LabState
{
    EllipseParams w;               //!< decoder g(z) = (w1 cos z, w2 sin z)
    int latentCount = 48;          //!< N, when not continuous
    bool continuousLatent = false; //!< z over all of [0, 2 pi)
    double beta = 1.0;             //!< inverse temperature (finite)
    bool zeroTemperature = false;  //!< the exact beta = inf switch
    FieldKind field = FieldKind::FreeEnergy;
    double zStar = 0.0;   //!< the latent of E(y, z*) and P(z* | y)
    double margin = 1.0;  //!< m, drawn as the level E = m
    int resolution = 300; //!< heatmap cells along the longer side
    ColorMap colorMap = ColorMap::Viridis;
    DatasetSpec dataset;            //!< 24 samples at x = 0, sigma = 1/20
    Vec2 observation{1.2, 1.6};     //!< the y the mouse drags
    double sectionY1 = 0.0;         //!< the section line y1 = const
    bool latentsByPosterior = true; //!< size the sampled latents by P(z | y) rather than colouring by z only
    PlaneLayers layers;

    //! \brief the beta the model uses: inf when the zero-temperature switch is on
    double effectiveBeta() const { return zeroTemperature ? kInfiniteBeta : beta; }
    LatentSpec latents() const
    {
        return continuousLatent ? LatentSpec::continuous() : LatentSpec::sampled(latentCount);
    }
    EllipseEbm model() const { return EllipseEbm(w, latents()); }

    bool operator==(const LabState &) const = default;
};

} // namespace ebm
