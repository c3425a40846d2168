// The soft minimum of a finite set of energies, shared by the discrete-latent models (K-means).
#pragma once

#include <vector>

namespace ebm {

//! \brief -(1/beta) log( (1/n) sum_k exp(-beta e_k) ), by log-sum-exp with the minimum factored out; min_k e_k
//! when beta = inf. Cold cells use log(mean weight), hot cells log1p(mean expm1) (exact digits either way, as the
//! ellipse's F_beta does). Needs n >= 1 and beta > 0.
double softMin(const double *e, int n, double beta);

//! \brief softMin over a vector
inline double softMin(const std::vector<double> &e, double beta)
{
    return softMin(e.data(), static_cast<int>(e.size()), beta);
}

//! \brief P_k = exp(-beta e_k) / sum_j exp(-beta e_j); at beta = inf the minima share the mass equally
std::vector<double> softArgMin(const std::vector<double> &e, double beta);

} // namespace ebm
