#!/usr/bin/env bash
# Fills the guide templates (template/*.md) with the figures of the KZ sample run and renders the PDFs with the
# project's own PDF code (GuidePdf). Run after a change of the templates, the samples or the methodology; the test
# GuideTests.Worked_example_quotes_the_figures_of_the_KZ_run then checks the committed files against a fresh run.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/ContributionIndex.Tests -c Release > /dev/null
CONTRIB_WRITE_GUIDE=1 dotnet test tests/ContributionIndex.Tests -c Release --no-build --filter "FullyQualifiedName~GuideTests.Worked_example_quotes_the_figures_of_the_KZ_run"
for pdf in methodology/guide/*.pdf; do echo "$pdf: $(pdfinfo "$pdf" 2>/dev/null | grep Pages || echo rendered)"; done
