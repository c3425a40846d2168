#include "math/sparsecoding.h"

#include "math/rng.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ebm {

namespace {

using Eigen::VectorXd;

//! \brief S_tau(v) = sign(v) max(|v| - tau, 0), elementwise: the proximal map of tau ||.||_1
void softThreshold(VectorXd &v, double tau)
{
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        const double a = std::abs(v[i]) - tau;
        v[i] = a > 0.0 ? std::copysign(a, v[i]) : 0.0;
    }
}

double maxAbs(const VectorXd &v)
{
    return v.size() ? v.cwiseAbs().maxCoeff() : 0.0;
}

Eigen::Matrix3Xd normalisedColumns(const Eigen::Matrix3Xd &atoms)
{
    if (atoms.cols() < 1)
        throw std::invalid_argument("the dictionary needs at least one atom");
    Eigen::Matrix3Xd w = atoms;
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
        const double norm = w.col(j).norm();
        if (!(norm > 0.0) || !std::isfinite(norm))
            throw std::invalid_argument("every atom needs a finite, nonzero norm");
        w.col(j) /= norm;
    }
    return w;
}

//! The two largest |z_i| (ties: smaller index); second = -1 when there is one entry.
std::pair<int, int> topTwo(const VectorXd &z)
{
    int first = 0;
    for (int i = 1; i < z.size(); ++i) {
        if (std::abs(z[i]) > std::abs(z[first]))
            first = i;
    }
    int second = -1;
    for (int i = 0; i < z.size(); ++i) {
        if (i != first && (second < 0 || std::abs(z[i]) > std::abs(z[second])))
            second = i;
    }
    return {first, second};
}

//! W_S^+ for the support S = {i, j} (or {i}): (W_S^T W_S)^{-1} W_S^T, or the minimum-norm pseudo-inverse when the
//! two atoms are parallel (unit atoms: then a_j = s a_i with s = +-1).
Eigen::Matrix<double, 2, 3> pseudoInverse(const Eigen::Matrix3Xd &w, int i, int j)
{
    Eigen::Matrix<double, 2, 3> p = Eigen::Matrix<double, 2, 3>::Zero();
    const Vec3 a = w.col(i);
    if (j < 0) {
        p.row(0) = a.transpose() / a.squaredNorm();
        return p;
    }
    const Vec3 b = w.col(j);
    const double gaa = a.squaredNorm(), gbb = b.squaredNorm(), gab = a.dot(b);
    const double det = gaa * gbb - gab * gab;
    if (det > 1e-12 * gaa * gbb) {
        p.row(0) = (gbb * a - gab * b).transpose() / det;
        p.row(1) = (gaa * b - gab * a).transpose() / det;
    } else {
        const double s = gab < 0.0 ? -1.0 : 1.0; // t_i + s t_j = c = a.y / |a|^2, split evenly (minimum norm)
        p.row(0) = 0.5 * a.transpose() / gaa;
        p.row(1) = s * p.row(0);
    }
    return p;
}

} // namespace

SparseCoding::SparseCoding(Eigen::Matrix3Xd atoms, double alpha)
    : m_w(normalisedColumns(atoms))
{
    setAlpha(alpha);
    updateLipschitz();
}

SparseCoding SparseCoding::random(int atoms, double alpha, std::uint64_t seed)
{
    if (atoms < 1)
        throw std::invalid_argument("the dictionary needs at least one atom");
    Rng rng(seed);
    Eigen::Matrix3Xd w(3, atoms);
    for (int j = 0; j < atoms; ++j) {
        do {
            for (int r = 0; r < 3; ++r)
                w(r, j) = rng.normal();
        } while (w.col(j).norm() < 1e-6); // (practically never) a direction needs a length
    }
    return SparseCoding(w, alpha);
}

void SparseCoding::setDictionary(const Eigen::Matrix3Xd &atoms)
{
    m_w = normalisedColumns(atoms);
    updateLipschitz();
}

void SparseCoding::setAlpha(double alpha)
{
    if (!(alpha >= 0.0) || !std::isfinite(alpha))
        throw std::invalid_argument("the sparsity weight alpha must be finite and non-negative");
    m_alpha = alpha;
}

void SparseCoding::updateLipschitz()
{
    // sigma_max(W)^2 is the largest eigenvalue of the 3 x 3 matrix W W^T.
    m_gram = m_w.transpose() * m_w;
    const Eigen::Matrix3d wwt = m_w * m_w.transpose();
    m_lipschitz = 2.0 * Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d>(wwt, Eigen::EigenvaluesOnly).eigenvalues()[2];
}

double SparseCoding::energy(const Vec3 &yDot, const VectorXd &z) const
{
    return (yDot - m_w * z).squaredNorm() + m_alpha * z.lpNorm<1>();
}

ShrinkageResult SparseCoding::shrink(const Vec3 &yDot, const ShrinkageOptions &options) const
{
    // grad_z ||y_dot - W z||^2 = 2 (G z - b) with G = W^T W (kept) and b = W^T y_dot: d x d work per step, and every
    // vector below is allocated once (a field calls this for each of its cells).
    const VectorXd b = m_w.transpose() * yDot;
    const double step = 1.0 / m_lipschitz, tau = m_alpha * step;
    const bool fista = options.method == ShrinkageMethod::Fista;
    VectorXd z = VectorXd::Zero(atoms()), previous = z, extrapolated = z, gradient(atoms()), probe(atoms());
    //! \brief out = S_tau(from - (2/L)(G from - b)), the proximal gradient step
    const auto proxStep = [&](const VectorXd &from, VectorXd &out) {
        gradient.noalias() = m_gram * from;
        out = from - (2.0 * step) * (gradient - b);
        softThreshold(out, tau);
    };
    ShrinkageResult r;
    if (options.keepPath)
        r.path.push_back(z);
    double t = 1.0;
    while (r.iterations < options.maxIterations) {
        previous.swap(z);
        proxStep(fista ? extrapolated : previous, z);
        ++r.iterations;
        if (options.keepPath)
            r.path.push_back(z);
        const double scale = std::max(1.0, maxAbs(z)), change = (z - previous).cwiseAbs().maxCoeff();
        if (change <= options.tolerance * scale) {
            // A small FISTA step can come from momentum cancelling the gradient: ask the fixed point itself.
            if (!fista)
                r.converged = true;
            else {
                proxStep(z, probe);
                r.converged = (probe - z).cwiseAbs().maxCoeff() <= options.tolerance * scale;
            }
            if (r.converged)
                break;
        }
        if (fista) {
            if (options.adaptiveRestart && (extrapolated - z).dot(z - previous) > 0.0)
                t = 1.0;
            const double tNext = 0.5 * (1.0 + std::sqrt(1.0 + 4.0 * t * t));
            extrapolated = z + ((t - 1.0) / tNext) * (z - previous);
            t = tNext;
        }
    }
    r.z = z;
    return r;
}

TopTwoCode SparseCoding::refit(const Vec3 &yDot, const VectorXd &lasso) const
{
    TopTwoCode c;
    c.lasso = lasso;
    std::tie(c.first, c.second) = topTwo(lasso);
    const Eigen::Vector2d t = pseudoInverse(m_w, c.first, c.second) * yDot;
    c.z = VectorXd::Zero(atoms());
    c.z[c.first] = t[0];
    if (c.second >= 0)
        c.z[c.second] = t[1];
    c.value = energy(yDot, c.z);
    return c;
}

TopTwoCode SparseCoding::infer(const Vec3 &yDot, const ShrinkageOptions &options) const
{
    return refit(yDot, shrink(yDot, options).z);
}

Vec2 SparseCoding::gradY(const Vec2 &y) const
{
    const Vec3 yDot = lift(y);
    const TopTwoCode c = infer(yDot);
    const Eigen::Matrix<double, 2, 3> pinv = pseudoInverse(m_w, c.first, c.second);
    Eigen::Vector2d sign(c.z[c.first] > 0.0 ? 1.0 : (c.z[c.first] < 0.0 ? -1.0 : 0.0), 0.0);
    if (c.second >= 0)
        sign[1] = c.z[c.second] > 0.0 ? 1.0 : (c.z[c.second] < 0.0 ? -1.0 : 0.0);
    const Vec3 g = 2.0 * (yDot - m_w * c.z) + m_alpha * pinv.transpose() * sign;
    return {g[1], g[2]};
}

Eigen::Matrix3Xd SparseCoding::gradDictionary(const Vec3 &yDot, const VectorXd &z) const
{
    return -2.0 * (yDot - m_w * z) * z.transpose();
}

double SparseCoding::loss(const std::vector<Vec2> &data) const
{
    if (data.empty())
        throw std::invalid_argument("the loss needs at least one data point");
    double sum = 0.0;
    for (const Vec2 &y : data)
        sum += zeroTemperature(y);
    return sum / static_cast<double>(data.size());
}

void SparseCoding::trainStep(const std::vector<Vec2> &data, double learningRate)
{
    if (data.empty())
        throw std::invalid_argument("training needs at least one data point");
    Eigen::Matrix3Xd gradient = Eigen::Matrix3Xd::Zero(3, atoms());
    for (const Vec2 &y : data) {
        const Vec3 yDot = lift(y);
        gradient += gradDictionary(yDot, infer(yDot).z);
    }
    Eigen::Matrix3Xd next = m_w - (learningRate / static_cast<double>(data.size())) * gradient;
    for (Eigen::Index j = 0; j < next.cols(); ++j) {
        const double norm = next.col(j).norm();
        if (norm > 1e-12 && std::isfinite(norm))
            next.col(j) /= norm;
        else
            next.col(j) = m_w.col(j);
    }
    m_w = next;
    updateLipschitz();
}

} // namespace ebm
