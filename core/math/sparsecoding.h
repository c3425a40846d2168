// Sparse coding as a latent-variable EBM (MODEL.md §4): y lifted to y_dot = (1, y) in R^3, a dictionary W of d
// unit-norm atoms (3 x d), E(y, z) = ||y_dot - W z||^2 + alpha ||z||_1, z_check by ISTA/FISTA, the lecture's top-2
// refit z_check_2 and F_inf(y) = E(y, z_check_2); training of W by gradient steps with renormalisation. No Qt here.
#pragma once

#include "math/ellipse.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace ebm {

using Vec3 = Eigen::Vector3d;

//! Defaults of the sparse-coding model (the lecture fixes neither d nor alpha; these draw a clear picture).
constexpr int kDefaultAtoms = 8;
constexpr double kDefaultSparsity = 0.1;

//! \brief y_dot = (1, y1, y2): the constant lets the dictionary express an offset
inline Vec3 lift(const Vec2 &y)
{
    return {1.0, y.x(), y.y()};
}

enum class ShrinkageMethod {
    Ista, //!< z <- S_{alpha/L}(z - grad/L)
    Fista //!< the same step from an extrapolated point, momentum t_{k+1} = (1 + sqrt(1 + 4 t_k^2)) / 2
};

struct ShrinkageOptions
{
    ShrinkageMethod method = ShrinkageMethod::Fista;
    int maxIterations = 5000;
    double tolerance = 1e-12; //!< stop when max_i |z_{k+1,i} - z_{k,i}| <= tolerance * max(1, max_i |z_{k+1,i}|)
    bool keepPath = false;    //!< keep every iterate (for drawing the path of the dragged observation)
    //! FISTA only: reset the momentum (t = 1) when the step turns against the last move, (v - z_new).(z_new - z) > 0
    //! with v the extrapolated point (O'Donoghue and Candes' gradient restart); keeps FISTA's speed-up without its
    //! oscillations on these small, often strongly convex problems
    bool adaptiveRestart = true;
};

struct ShrinkageResult
{
    Eigen::VectorXd z;                 //!< the last iterate, the lasso solution z_check when converged
    int iterations = 0;                //!< steps taken
    bool converged = false;            //!< the tolerance was met within maxIterations
    std::vector<Eigen::VectorXd> path; //!< z_0 = 0, z_1, ..., z_last when keepPath
};

//! The lecture's refinement of one observation's code.
struct TopTwoCode
{
    Eigen::VectorXd lasso; //!< z_check = argmin_z E(y, z) (by the shrinkage method)
    Eigen::VectorXd z;     //!< z_check_2: zero except the two largest |z_check_i|, refit by least squares
    int first = -1;        //!< the index of the largest |z_check_i| (ties: smaller index)
    int second = -1;       //!< the second (-1 when d = 1)
    double value = 0.0;    //!< F_inf(y) = E(y, z_check_2) = ||y_dot - W z_check_2||^2 + alpha ||z_check_2||_1
};

class SparseCoding
{
public:
    //! \brief the model with dictionary \a atoms (3 x d, d >= 1), every column scaled to unit norm; throws
    //! std::invalid_argument on a zero or non-finite column or alpha < 0
    SparseCoding(Eigen::Matrix3Xd atoms, double alpha);
    //! \brief d atoms with Normal(0, 1) entries from a seeded stream, each normalised
    static SparseCoding random(int atoms, double alpha, std::uint64_t seed);

    int atoms() const { return static_cast<int>(m_w.cols()); }
    double alpha() const { return m_alpha; }
    const Eigen::Matrix3Xd &dictionary() const { return m_w; }
    //! \brief W = \a atoms with every column normalised (throws as the constructor does)
    void setDictionary(const Eigen::Matrix3Xd &atoms);
    void setAlpha(double alpha);
    //! \brief L = 2 sigma_max(W)^2, the Lipschitz constant of grad_z ||y_dot - W z||^2
    double lipschitz() const { return m_lipschitz; }

    //! \brief E(y, z) = ||y_dot - W z||^2 + alpha ||z||_1
    double energy(const Vec3 &yDot, const Eigen::VectorXd &z) const;
    //! \brief Dec(z) = W z, in the lifted space
    Vec3 decode(const Eigen::VectorXd &z) const { return m_w * z; }
    //! \brief z_check = argmin_z E(y, z) by ISTA or FISTA from z_0 = 0 with step 1/L
    ShrinkageResult shrink(const Vec3 &yDot, const ShrinkageOptions &options = {}) const;
    //! \brief t = argmin_t ||y_dot - W_S t||^2 on the support S of the two largest |z_i| of \a lasso (ties: smaller
    //! index) by the 2 x 2 normal equations (the minimum-norm solution when the two atoms are parallel)
    TopTwoCode refit(const Vec3 &yDot, const Eigen::VectorXd &lasso) const;
    //! \brief the lasso by \a options, then the top-2 refit: F_inf(y) = E(y, z_check_2)
    TopTwoCode infer(const Vec3 &yDot, const ShrinkageOptions &options = {}) const;
    //! \brief F_inf(y) of infer(lift(y))
    double zeroTemperature(const Vec2 &y) const { return infer(lift(y)).value; }
    //! \brief grad_y F_inf where the support is locally constant: the y components of
    //! 2 (y_dot - W_S t) + alpha (W_S^+)^T sign(t) (t = z_check_2 on S, W_S^+ its least-squares pseudo-inverse)
    Vec2 gradY(const Vec2 &y) const;
    //! \brief dE(y, z)/dW = -2 (y_dot - W z) z^T at fixed z (the training gradient with z = z_check_2)
    Eigen::Matrix3Xd gradDictionary(const Vec3 &yDot, const Eigen::VectorXd &z) const;

    //! \brief L = (1/|Y|) sum_i F_inf(y_i)
    double loss(const std::vector<Vec2> &data) const;
    //! \brief W <- normalise_columns(W - eta (1/|Y|) sum_i dE(y_i, z_check_2,i)/dW); an atom whose update has
    //! (numerically) zero norm keeps its old direction
    void trainStep(const std::vector<Vec2> &data, double learningRate);

private:
    void updateLipschitz();

    Eigen::Matrix3Xd m_w;
    Eigen::MatrixXd m_gram; //!< W^T W, the d x d matrix of every shrinkage step
    double m_alpha = kDefaultSparsity;
    double m_lipschitz = 0.0;
};

} // namespace ebm
