// "Export as PyTorch script": a self-contained Python file that recomputes the current figure with PyTorch and
// matplotlib, written the way the lecture notebooks do it (broadcasting, torch.logsumexp, softmax).
#pragma once

#include <QString>

#include <utility>
#include <vector>

namespace ebm {

struct PyTorchFigure
{
    double w1 = 2.0, w2 = 1.5;
    //! N sampled latents; 0 = the continuous latent, which the script approximates by dense sampling
    //! (kContinuousSamples, plus Newton steps for F_inf) because the notebooks only ever sample.
    int latentCount = 48;
    double beta = 1.0; //!< inverse temperature; inf allowed (zero temperature)
    int field = 0;     //!< 0 F_beta, 1 F_inf, 2 E(y, z*), 3 posterior P_beta(z* | y) (as FieldKind)
    double z = 0.0;    //!< z* for E and the posterior (snapped to the nearest sampled latent, as the core does)
    double x0 = -3.0, x1 = 3.0, y0 = -3.0, y1 = 3.0; //!< the grid, both ends included
    int nx = 121, ny = 121;
    std::vector<std::pair<double, double>> data; //!< the data points Y, drawn over the heatmap
    QString caption;                             //!< provenance, printed in the script and under its figure
};

//! How many samples of z stand in for the continuous latent in the script.
constexpr int kContinuousSamples = 4096;

//! \brief the Python source. Run it to show the figure; `--png out.png` saves it instead; `--csv out.csv` writes the
//! field in the layout of `ebmlab field` (header y1,y2,value; y2 in the outer loop; %.17g) and needs no matplotlib.
QString pytorchScript(const PyTorchFigure &figure);

//! \brief writes pytorchScript(figure) to \a path atomically; returns an error message or empty
QString writePyTorchScript(const QString &path, const PyTorchFigure &figure);

} // namespace ebm
