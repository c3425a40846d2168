// The exact lasso for sparse coding's small problem (3 rows, d atoms): z_check = argmin_z ||y_dot - W z||^2 +
// alpha ||z||_1 by an active set whose KKT system is solved exactly, instead of iterating FISTA to a tolerance.
//
// What "exact" means: the returned z satisfies the lasso's optimality conditions up to rounding, checked before it
// is returned, with g = 2 W^T (y_dot - W z):
//     g_i = alpha sign(z_i) where z_i != 0,      |g_i| <= alpha where z_i = 0
// (to 1e-10 relative to max(alpha, |2 W^T y_dot|_inf)); z_A itself comes from one solve of the KKT system
// 2 W_A^T W_A z_A = 2 W_A^T y_dot - alpha s_A on its active set A with signs s_A.
//
// Tie rule (the lasso minimiser is not always unique): among the minimisers, the one of least ||z||_2, which is
// also what FISTA from z_0 = 0 converges to in these cases:
//   - atoms that are parallel (a_j = +-a_i, sin of the angle <= 1e-9) are merged into one direction, solved once,
//     and the coefficient u is split evenly with the atoms' signs (z_j = s_j u / m over the m merged atoms);
//   - alpha = 0 is least squares: z = W^+ y_dot, the minimum-norm solution.
// Otherwise, in R^3 with the merged atoms in general position, the minimiser is unique and has at most 3 nonzero
// entries. Where a KKT system is singular (a degenerate configuration) or the active-set search does not verify,
// the solver falls back to the FISTA reference path (SparseCoding::shrink) and says so (lastWasExact()).
//
// Search: the previous call's active set and signs are tried first (a field sweeps each row in order, so
// neighbours share it); when they fail the check, the lasso path (homotopy) is followed from lambda =
// |2 W^T y_dot|_inf down to alpha, adding and dropping atoms at the path's breakpoints. (W_A^T W_A)^{-1} is
// cached by the active set's bitmask. Not thread-safe (warm start and cache): one solver per thread.
#pragma once

#include "math/sparsecoding.h"

#include <Eigen/Core>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ebm {

class ExactLasso
{
public:
    //! How each solve() ended.
    struct Stats
    {
        long long zero = 0;     //!< alpha >= |2 W^T y_dot|_inf (z = 0) or alpha = 0 (least squares)
        long long warm = 0;     //!< the previous active set verified
        long long homotopy = 0; //!< the lasso path found it
        long long fallback = 0; //!< FISTA reference path (degenerate configuration)
    };

    //! \brief a solver for \a coding's dictionary and alpha (kept by reference: it must outlive the solver)
    explicit ExactLasso(const SparseCoding &coding);

    //! \brief z = argmin_z ||y_dot - W z||^2 + alpha ||z||_1 (the minimum-norm minimiser, see above) into \a z
    //! (resized to d)
    void solve(const Vec3 &yDot, Eigen::VectorXd &z);
    //! \brief the same, returned
    Eigen::VectorXd solve(const Vec3 &yDot);
    //! True when the last solve verified the optimality conditions itself (false: FISTA fallback).
    bool lastWasExact() const { return m_lastExact; }
    //! Forget the warm start (the next solve follows the lasso path from lambda_max).
    void forgetWarmStart() { m_warmValid = false; }
    const Stats &stats() const { return m_stats; }
    //! The number of distinct atom directions after merging parallel atoms.
    int directions() const { return static_cast<int>(m_rep.cols()); }

private:
    //! (G_AA)^{-1} for an active set of at most 3 merged directions.
    struct Factor
    {
        int n = 0;
        int index[3] = {0, 0, 0};
        Eigen::Matrix3d inverse = Eigen::Matrix3d::Zero();
        bool regular = false;
    };

    const Factor &factor(std::uint64_t mask);
    //! \brief z_A = G_AA^{-1} (b_A - alpha/2 s_A) at \a lambda; true when the KKT conditions hold at alpha
    bool verify(const Factor &f, const double *sign, Eigen::Vector3d &zA) const;
    //! \brief the lasso path from lambda_max to alpha; true with m_mask, m_sign set when it verifies
    bool followPath(Eigen::Vector3d &zA);
    void expand(const Factor &f, const Eigen::Vector3d &zA, Eigen::VectorXd &z) const;

    const SparseCoding *m_coding;
    double m_alpha;
    Eigen::Matrix3Xd m_rep;           //!< one unit atom per direction
    Eigen::MatrixXd m_gram;           //!< m_rep^T m_rep
    std::vector<int> m_group;         //!< atom j -> its direction
    std::vector<double> m_groupSign;  //!< atom j = m_groupSign[j] * m_rep.col(m_group[j])
    std::vector<double> m_groupShare; //!< 1 / (number of atoms in j's direction)
    Eigen::MatrixXd m_pseudoInverse;  //!< W^+ (d x 3), for alpha = 0
    Eigen::VectorXd m_b;              //!< 2 m_rep^T y_dot of the current solve
    double m_scale = 0.0;             //!< max(alpha, |m_b|_inf): the scale of the KKT check
    std::unordered_map<std::uint64_t, Factor> m_cache;
    std::uint64_t m_mask = 0;           //!< the warm start: active directions
    double m_sign[3] = {0.0, 0.0, 0.0}; //!< and their signs, in the order of Factor::index
    bool m_warmValid = false;
    bool m_lastExact = true;
    bool m_usable = true; //!< false when there are more than 64 directions (then always the fallback)
    Stats m_stats;
};

} // namespace ebm
