#include "math/exactlasso.h"

#include <Eigen/Geometry>
#include <Eigen/LU>
#include <Eigen/QR>

#include <bit>
#include <cmath>

namespace ebm {

namespace {

constexpr double kParallel = 1e-9;  //!< |a x b| <= this for unit atoms: the same direction (merged)
constexpr double kSingular = 1e-14; //!< det G_AA / prod diag G_AA below this: a singular KKT system
constexpr double kKkt = 1e-10;      //!< the optimality check's tolerance, relative to max(alpha, |2 W^T y_dot|)

double signOf(double v)
{
    return v > 0.0 ? 1.0 : -1.0;
}

} // namespace

ExactLasso::ExactLasso(const SparseCoding &coding)
    : m_coding(&coding)
    , m_alpha(coding.alpha())
{
    const Eigen::Matrix3Xd &w = coding.dictionary();
    const int d = coding.atoms();
    std::vector<Vec3> reps;
    m_group.resize(d);
    m_groupSign.resize(d);
    m_groupShare.resize(d);
    std::vector<int> count;
    for (int j = 0; j < d; ++j) {
        const Vec3 a = w.col(j);
        int g = 0;
        while (g < static_cast<int>(reps.size()) && a.cross(reps[g]).norm() > kParallel)
            ++g;
        if (g == static_cast<int>(reps.size())) {
            reps.push_back(a);
            count.push_back(0);
        }
        m_group[j] = g;
        m_groupSign[j] = a.dot(reps[g]) < 0.0 ? -1.0 : 1.0;
        ++count[g];
    }
    for (int j = 0; j < d; ++j)
        m_groupShare[j] = 1.0 / count[m_group[j]];
    m_rep.resize(3, static_cast<Eigen::Index>(reps.size()));
    for (int g = 0; g < static_cast<int>(reps.size()); ++g)
        m_rep.col(g) = reps[g];
    m_gram = m_rep.transpose() * m_rep;
    m_usable = reps.size() <= 64;
    if (m_alpha == 0.0)
        m_pseudoInverse = Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(Eigen::MatrixXd(w)).pseudoInverse();
}

const ExactLasso::Factor &ExactLasso::factor(std::uint64_t mask)
{
    const auto found = m_cache.find(mask);
    if (found != m_cache.end())
        return found->second;
    Factor f;
    f.n = std::popcount(mask);
    if (f.n <= 3) {
        int k = 0;
        for (std::uint64_t m = mask; m; m &= m - 1)
            f.index[k++] = std::countr_zero(m);
        Eigen::Matrix3d g = Eigen::Matrix3d::Identity();
        double diagonal = 1.0;
        for (int r = 0; r < f.n; ++r) {
            diagonal *= m_gram(f.index[r], f.index[r]);
            for (int c = 0; c < f.n; ++c)
                g(r, c) = m_gram(f.index[r], f.index[c]);
        }
        // The padding is the identity, so det and inverse are those of G_AA (Hadamard: det <= prod diag).
        f.regular = std::abs(g.determinant()) > kSingular * diagonal;
        if (f.regular)
            f.inverse = g.inverse();
    }
    return m_cache.emplace(mask, f).first->second;
}

bool ExactLasso::verify(const Factor &f, const double *sign, Eigen::Vector3d &zA) const
{
    if (!f.regular)
        return false;
    // 2 G_AA z_A = b_A - alpha s_A (b = 2 W^T y_dot): the stationarity of E on the active set.
    Eigen::Vector3d rhs = Eigen::Vector3d::Zero();
    for (int k = 0; k < f.n; ++k)
        rhs[k] = 0.5 * (m_b[f.index[k]] - m_alpha * sign[k]);
    zA = f.inverse * rhs;
    // One step of iterative refinement against G_AA itself: the explicit inverse alone loses a factor cond(G_AA).
    Eigen::Vector3d residual = rhs;
    for (int r = 0; r < f.n; ++r) {
        for (int c = 0; c < f.n; ++c)
            residual[r] -= m_gram(f.index[r], f.index[c]) * zA[c];
    }
    zA += f.inverse * residual;
    for (int k = 0; k < f.n; ++k) {
        if (!(zA[k] * sign[k] > 0.0))
            return false;
    }
    const double bound = m_alpha + kKkt * m_scale;
    int next = 0;
    for (int j = 0; j < m_rep.cols(); ++j) {
        if (next < f.n && f.index[next] == j) {
            ++next;
            continue;
        }
        double c = m_b[j];
        for (int k = 0; k < f.n; ++k)
            c -= 2.0 * m_gram(j, f.index[k]) * zA[k];
        if (!(std::abs(c) <= bound))
            return false;
    }
    return true;
}

bool ExactLasso::followPath(Eigen::Vector3d &zA)
{
    const int n = static_cast<int>(m_rep.cols());
    int top = 0;
    for (int j = 1; j < n; ++j) {
        if (std::abs(m_b[j]) > std::abs(m_b[top]))
            top = j;
    }
    double lambda = std::abs(m_b[top]);
    std::vector<double> dirSign(n, 0.0);
    m_mask = 0;
    if (lambda > m_alpha) {
        m_mask = std::uint64_t{1} << top;
        dirSign[top] = signOf(m_b[top]);
    }
    int justAdded = top, justDropped = -1;
    double droppedSign = 0.0;
    // Along the path z_A(lambda) = u - lambda v with u = G_AA^{-1} b_A / 2, v = G_AA^{-1} s_A / 2, and off the set
    // the correlation c_j(lambda) = b_j - 2 G_jA z_A = p_j + lambda q_j, linear between breakpoints.
    for (int step = 0; m_mask && step < 4 * n + 8; ++step) {
        const Factor &f = factor(m_mask);
        if (!f.regular)
            return false;
        Eigen::Vector3d bA = Eigen::Vector3d::Zero(), sA = Eigen::Vector3d::Zero();
        for (int k = 0; k < f.n; ++k) {
            bA[k] = 0.5 * m_b[f.index[k]];
            sA[k] = 0.5 * dirSign[f.index[k]];
        }
        const Eigen::Vector3d u = f.inverse * bA, v = f.inverse * sA;
        double next = m_alpha;
        int join = -1, drop = -1;
        double joinSign = 0.0;
        for (int j = 0; j < n; ++j) {
            if ((m_mask >> j) & 1)
                continue;
            double p = m_b[j], q = 0.0;
            for (int k = 0; k < f.n; ++k) {
                p -= 2.0 * m_gram(j, f.index[k]) * u[k];
                q += 2.0 * m_gram(j, f.index[k]) * v[k];
            }
            for (const double s : {1.0, -1.0}) { // c_j(l) = s l at l = s p / (1 - s q)
                const double denominator = 1.0 - s * q;
                // An atom just dropped sits on its old boundary c_j = s_j lambda; it may come back on the other.
                if (denominator == 0.0 || (j == justDropped && s == droppedSign))
                    continue;
                const double l = s * p / denominator;
                if (l > next && l < lambda) {
                    next = l;
                    join = j;
                    joinSign = s;
                    drop = -1;
                }
            }
        }
        for (int k = 0; k < f.n; ++k) {
            if (f.index[k] == justAdded || v[k] == 0.0)
                continue;
            const double l = u[k] / v[k]; // z_k(l) = 0
            if (l > next && l < lambda) {
                next = l;
                drop = f.index[k];
                join = -1;
            }
        }
        if (join < 0 && drop < 0)
            break;
        lambda = next;
        justAdded = justDropped = -1;
        if (join >= 0) {
            m_mask |= std::uint64_t{1} << join;
            dirSign[join] = joinSign;
            justAdded = join;
        } else {
            m_mask &= ~(std::uint64_t{1} << drop);
            justDropped = drop;
            droppedSign = dirSign[drop];
        }
    }
    const Factor &f = factor(m_mask);
    for (int k = 0; k < f.n; ++k)
        m_sign[k] = dirSign[f.index[k]];
    return verify(f, m_sign, zA);
}

void ExactLasso::expand(const Factor &f, const Eigen::Vector3d &zA, Eigen::VectorXd &z) const
{
    const int d = static_cast<int>(m_group.size());
    z.setZero(d);
    for (int k = 0; k < f.n; ++k) {
        for (int j = 0; j < d; ++j) {
            if (m_group[j] == f.index[k])
                z[j] = m_groupShare[j] == 1.0 ? zA[k] : m_groupSign[j] * m_groupShare[j] * zA[k];
        }
    }
}

void ExactLasso::solve(const Vec3 &yDot, Eigen::VectorXd &z)
{
    m_lastExact = true;
    if (m_alpha == 0.0) { // least squares: the minimum-norm solution
        z = m_pseudoInverse * yDot;
        ++m_stats.zero;
        return;
    }
    if (m_usable) {
        m_b.noalias() = 2.0 * (m_rep.transpose() * yDot);
        m_scale = std::max(m_alpha, m_b.cwiseAbs().maxCoeff());
        Eigen::Vector3d zA;
        if (m_warmValid) {
            const Factor &f = factor(m_mask);
            if (verify(f, m_sign, zA)) {
                expand(f, zA, z);
                ++(f.n ? m_stats.warm : m_stats.zero);
                return;
            }
        }
        if (followPath(zA)) {
            const Factor &f = factor(m_mask);
            expand(f, zA, z);
            ++(f.n ? m_stats.homotopy : m_stats.zero);
            m_warmValid = true;
            return;
        }
    }
    m_warmValid = false;
    m_lastExact = false;
    ++m_stats.fallback;
    z = m_coding->shrink(yDot).z;
}

Eigen::VectorXd ExactLasso::solve(const Vec3 &yDot)
{
    Eigen::VectorXd z;
    solve(yDot, z);
    return z;
}

} // namespace ebm
