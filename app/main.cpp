// ebmlab: the window by default, or a headless subcommand when the first argument names one.
#include "commands.h"
#include "mainwindow.h"
#include "quitonsignal.h"

#include <QApplication>
#include <QIcon>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char *argv[])
{
    if (argc > 1 && (argv[1][0] != '-' || ebm::cli::isHeadlessCommand(argv[1]))) {
        // A word that is no subcommand is an error here, not a window: scripts rely on exit status 2.
        const std::vector<std::string> args(argv + 1, argv + argc);
        return ebm::cli::runHeadless(args, std::cout, std::cerr);
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("EBM Lab"));
    QApplication::setOrganizationName(QStringLiteral("EBM Lab"));
    QApplication::setApplicationVersion(QStringLiteral(EBMLAB_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/ebmlab.svg")));
    QApplication::setDesktopFileName(QStringLiteral("ebmlab"));
    ebm::quitOnTerminationSignals();
    ebm::MainWindow window;
    window.restoreSettings(); // the window as it was left; the tests start from the defaults instead
    window.show();
    return QApplication::exec();
}
