"""Packaging from settings.ini (nbdev 2 layout), without `pkg_resources` (gone in setuptools 82)."""
from configparser import ConfigParser
from pathlib import Path
import shutil
import setuptools
from setuptools.command.build_py import build_py

here = Path(__file__).resolve().parent
cfg = ConfigParser(delimiters=['='])
cfg.read(here / 'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': 'Apache-2.0'}  # SPDX identifiers
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
min_python = cfg['min_python']



class BuildWithNotebooks(build_py):
    "Ship the notebooks the package executes (`kd-sweep` runs run.ipynb) inside it, as kd_privileged/notebooks/."
    def run(self):
        super().run()
        target = Path(self.build_lib) / cfg['lib_path'] / 'notebooks'
        target.mkdir(parents=True, exist_ok=True)
        for name in ('run.ipynb', 'report.ipynb', 'sweep.ipynb'):  # kd_privileged.cli.NOTEBOOKS
            shutil.copy(here / cfg['nbs_path'] / name, target / name)


setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    license=licenses[cfg['license']],
    description=cfg['description'],
    long_description=(here / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    author=cfg['author'],
    author_email=cfg['author_email'],
    url=cfg['git_url'],
    keywords=cfg['keywords'].split(),
    classifiers=[
        'Development Status :: ' + statuses[int(cfg['status'])],
        'Intended Audience :: Science/Research',
        'Natural Language :: English',
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
    packages=setuptools.find_packages(include=['kd_privileged', 'kd_privileged.*']),
    include_package_data=True,
    install_requires=cfg['requirements'].split(),
    extras_require={'dev': cfg['dev_requirements'].split(), 'onnx': cfg['onnx_requirements'].split()},
    python_requires='>=' + min_python,
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
    cmdclass={'build_py': BuildWithNotebooks},
)
