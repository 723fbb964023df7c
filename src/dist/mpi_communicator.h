#pragma once
// The MPI communicator's factory; its class lives in mpi_communicator.cpp so that no header
// outside this file includes <mpi.h>.
#include <memory>

#include "dist/communicator.h"

namespace fg::dist {

// Initialises MPI (once per process; finalised when the communicator is destroyed) and wraps
// a duplicate of MPI_COMM_WORLD. Errors come back as fg::Error instead of aborting the job.
std::unique_ptr<Communicator> make_mpi_communicator();

}  // namespace fg::dist
