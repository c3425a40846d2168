// What the observation plane draws for K-means and sparse coding (issue #7): plain values the window computes from
// the core; the plane only draws them.
#pragma once

#include "math/energymodel.h"
#include "math/sparsecoding.h"

#include <vector>

namespace ebm {

struct FamilyPicture
{
    ModelKind kind = ModelKind::Ellipse; //!< Ellipse: nothing of this is drawn
    // K-means
    std::vector<Vec2> centroids;  //!< w_k, drawn as large draggable markers in the cluster's colour
    std::vector<Vec2> data;       //!< the data points, coloured by ...
    std::vector<int> assignments; //!< ... their nearest centroid
    // Sparse coding. An atom w_j = (w0, w1, w2) acts on y_dot = (1, y): t w_j has y-part t (w1, w2), so in the
    // y-plane atom j spans the ray from the origin along (w1, w2). It is drawn as an arrow from the origin to
    // (w1, w2), the y-part of Dec(e_j) = W e_j (unit norm, so at most 1 long), with a dot at the vertex
    // (w1, w2) / w0, the one point that t w_j reproduces with its constant part equal to 1. With two atoms, the
    // exact reconstructions t_a w_a + t_b w_b of a y_dot lie on the line through their two vertices.
    std::vector<Vec3> atoms;
    //! The FISTA iterates z_0 = 0, z_1, ... of the observation, decoded: the y-part of W z_t, then Dec(z_check_2)
    std::vector<Vec2> path;
    // Both
    Vec2 observation = Vec2::Zero();
    Vec2 decoded = Vec2::Zero(); //!< Dec(z_check) in the y-plane, where the segment from y ends
};

} // namespace ebm
