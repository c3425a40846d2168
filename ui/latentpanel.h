// The latent panel: E(y, z) against z for the current observation, the free-energy lines and the posterior over z.
#pragma once

#include "math/ellipseebm.h"

#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPGraph;
class QCPItemLine;
class QCPItemStraightLine;
class QCPItemText;
class QLabel;

namespace ebm {

class LatentPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LatentPanel(QWidget *parent = nullptr);

    //! Shows the model's latent picture for observation y at inverse temperature beta (inf allowed).
    void setState(const EllipseEbm &model, const Vec2 &y, double beta);

    // For tests (and the status bar): what is on screen now.
    QVector<double> curveZ() const;        //!< z samples of the continuous E curve
    QVector<double> curveEnergy() const;   //!< E(y, z) at those samples, as plotted
    double markedZCheck() const;           //!< the z_check drawn
    double freeEnergyLine() const;         //!< the value of the F_beta line drawn
    double zeroTemperatureLine() const;    //!< the value of the F_inf line drawn
    QVector<double> posteriorBars() const; //!< sampled: bar heights in k order; continuous: empty
    QString readoutText() const;           //!< all read-outs concatenated, for tests
    QCustomPlot *plot() const { return m_plot; }

private:
    void buildEnergyRect();
    void buildPosteriorRect();
    void updatePosterior(const EllipseEbm &model, const Vec2 &y, double beta, const Inference &inference);
    void updateReadouts(const Vec2 &y, double beta, const Inference &inference, int zCheckIndex);

    QCustomPlot *m_plot;
    QCPAxisRect *m_energyRect;
    QCPAxisRect *m_posteriorRect;
    QCPGraph *m_curve;
    QCPGraph *m_stems;
    QCPGraph *m_zCheckMarker;
    QCPItemStraightLine *m_zCheckLine;
    QCPItemText *m_zCheckLabel;
    QCPItemStraightLine *m_zeroTemperatureLine;
    QCPItemText *m_zeroTemperatureLabel;
    QCPItemStraightLine *m_freeEnergyLine;
    QCPItemText *m_freeEnergyLabel;
    QCPBars *m_bars;
    QCPGraph *m_density;
    QCPItemStraightLine *m_posteriorZCheckLine;
    QCPItemLine *m_dirac;
    QCPItemText *m_diracNote;
    QLabel *m_yLabel;
    QLabel *m_betaLabel;
    QLabel *m_zeroTemperatureReadout;
    QLabel *m_freeEnergyReadout;
    QLabel *m_zCheckReadout;
    QLabel *m_posteriorMeanReadout;
};

} // namespace ebm
